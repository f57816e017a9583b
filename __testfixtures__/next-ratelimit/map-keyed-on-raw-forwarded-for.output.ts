import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

const hits = new Map<string, { count: number; resetTime: number }>();

export async function POST(request: Request) {
  const limited = await rateLimit(request);
  if (limited) return limited;
  const ip = request.headers.get('x-forwarded-for') || 'unknown';
  const now = Date.now();
  const record = hits.get(ip);
  if (record && now < record.resetTime) {
    if (record.count >= 5) {
      return Response.json({ error: 'Too many requests' }, { status: 429 });
    }
    record.count++;
  } else {
    hits.set(ip, { count: 1, resetTime: now + 60_000 });
  }
  const { prompt } = await request.json();
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return Response.json({ text: result.output_text });
}
