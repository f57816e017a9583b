const { NEXT_PUBLIC_MISTRAL_API_KEY = '' } = process.env;

export async function POST(req: Request) {
  const res = await fetch('https://api.mistral.ai/v1/chat/completions', {
    method: 'POST',
    headers: { Authorization: `Bearer ${NEXT_PUBLIC_MISTRAL_API_KEY}` },
    body: await req.text(),
  });
  return new Response(res.body, { status: res.status });
}
