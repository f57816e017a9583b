import { streamText } from 'ai';
import { openai } from '@ai-sdk/openai';
import { rateLimit } from '@/lib/rate-limit';

export const runtime = 'edge';

export async function POST(req: Request) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const { messages } = await req.json();
  const result = streamText({ model: openai('gpt-4o-mini'), messages });
  return result.toTextStreamResponse();
}
