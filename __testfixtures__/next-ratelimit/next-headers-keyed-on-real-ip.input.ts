import { headers } from 'next/headers';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import OpenAI from 'openai';

const openai = new OpenAI();
const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, '1 h') });

export async function POST(request: Request) {
  const requestHeaders = await headers();
  const ip = requestHeaders.get('x-real-ip');
  const { success } = await ratelimit.limit(ip ?? 'anonymous');
  if (!success) return new Response('Too many requests', { status: 429 });
  const { prompt } = await request.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: prompt }],
  });
  return Response.json(completion.choices[0]?.message);
}
