import OpenAI from 'openai';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';

const openai = new OpenAI();
const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, '1 m') });

export async function POST(req: Request) {
  // The entry our proxy appended, not one the caller wrote.
  const ip = req.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() ?? 'anonymous';
  const { success } = await ratelimit.limit(ip);
  if (!success) return new Response('Too many requests', { status: 429 });
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: await req.json() });
  return Response.json(completion.choices[0]?.message);
}
