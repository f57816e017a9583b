import OpenAI from 'openai';
import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

const cache = new Map<string, string>();

export async function POST(req: Request) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const { prompt } = await req.json();
  try {
    const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
    cache.set(prompt, result.output_text);
    return Response.json({ text: result.output_text });
  } catch (error) {
    if (error instanceof OpenAI.RateLimitError) return Response.json({ error: 'busy' }, { status: 429 });
    throw error;
  }
}
