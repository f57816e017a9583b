import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { ipAddress } from '@vercel/functions';
import { streamText } from 'ai';
import { openai } from '@ai-sdk/openai';

export async function POST(req: Request) {
  const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.fixedWindow(10, '1 m') });
  const { success } = await ratelimit.limit(ipAddress(req) ?? 'unknown');
  if (!success) return new Response('Slow down', { status: 429 });
  const { prompt } = await req.json();
  return streamText({ model: openai('gpt-4o-mini'), prompt }).toTextStreamResponse();
}
