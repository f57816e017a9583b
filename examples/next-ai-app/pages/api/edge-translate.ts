// A Pages Router API route on the Edge runtime: it takes a web Request, not (req, res).
export const runtime = "edge";

const OPENAI_URL = process.env.OPENAI_BASE_URL ?? "https://api.openai.com/v1";

export default async function handler(req: Request) {
  if (req.method !== "POST") {
    return Response.json({ error: "use POST" }, { status: 405 });
  }
  const body = (await req.json().catch(() => null)) as { text?: string } | null;
  if (!body?.text) {
    return Response.json({ error: "text is required" }, { status: 400 });
  }

  const upstream = await fetch(`${OPENAI_URL}/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${process.env.OPENAI_API_KEY ?? ""}`,
    },
    body: JSON.stringify({
      model: process.env.OPENAI_MODEL ?? "gpt-4o-mini",
      messages: [{ role: "user", content: `Translate to French: ${body.text}` }],
    }),
  });
  const completion = (await upstream.json()) as { choices?: { message?: { content?: string } }[] };
  return Response.json({ translation: completion.choices?.[0]?.message?.content ?? "" });
}
