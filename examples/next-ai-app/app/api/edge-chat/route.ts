// The same chat on the Edge runtime, calling the OpenAI REST API directly with fetch.
export const runtime = "edge";

const OPENAI_URL = process.env.OPENAI_BASE_URL ?? "https://api.openai.com/v1";

export async function POST(req: Request) {
  const body = (await req.json().catch(() => null)) as { prompt?: string } | null;
  if (!body?.prompt) {
    return Response.json({ error: "prompt is required" }, { status: 400 });
  }

  const upstream = await fetch(`${OPENAI_URL}/chat/completions`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${process.env.OPENAI_API_KEY ?? ""}`,
    },
    body: JSON.stringify({
      model: process.env.OPENAI_MODEL ?? "gpt-4o-mini",
      messages: [{ role: "user", content: body.prompt }],
    }),
  });
  const completion = (await upstream.json()) as { choices?: { message?: { content?: string } }[] };
  return Response.json({ reply: completion.choices?.[0]?.message?.content ?? "" });
}
