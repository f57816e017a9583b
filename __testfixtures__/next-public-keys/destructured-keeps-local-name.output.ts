const { GROQ_API_KEY: NEXT_PUBLIC_GROQ_API_KEY, NEXT_PUBLIC_SITE_URL } = process.env;

export async function POST(req: Request) {
  const res = await fetch('https://api.groq.com/openai/v1/chat/completions', {
    method: 'POST',
    headers: { Authorization: `Bearer ${NEXT_PUBLIC_GROQ_API_KEY}`, Referer: NEXT_PUBLIC_SITE_URL ?? '' },
    body: await req.text(),
  });
  return new Response(res.body, { status: res.status });
}
