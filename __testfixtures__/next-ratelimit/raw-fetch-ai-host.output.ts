import { rateLimit } from '@/lib/rate-limit';

export async function POST(req: Request) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const body = await req.json();
  const upstream = await fetch('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': process.env.GEMINI_API_KEY ?? '' },
    body: JSON.stringify({ contents: [{ parts: [{ text: body.prompt }] }] }),
  });
  return new Response(upstream.body, { status: upstream.status });
}
