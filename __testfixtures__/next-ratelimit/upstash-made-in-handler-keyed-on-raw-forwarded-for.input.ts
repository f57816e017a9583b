import { Ratelimit } from '@upstash/ratelimit';
import { kv } from '@vercel/kv';
import { streamText } from 'ai';
import { openai } from '@ai-sdk/openai';

export async function POST(req: Request) {
  if (process.env.KV_REST_API_URL) {
    const ip = req.headers.get('x-forwarded-for');
    const ratelimit = new Ratelimit({ redis: kv, limiter: Ratelimit.slidingWindow(20, '1 d') });
    const { success } = await ratelimit.limit(`summaries_${ip}`);
    if (!success) return new Response('Daily limit reached', { status: 429 });
  }
  const { prompt } = await req.json();
  const result = streamText({ model: openai('gpt-4o-mini'), prompt });
  return result.toTextStreamResponse();
}
