import Anthropic from '@anthropic-ai/sdk';
import { rateLimit } from '@/lib/rate-limit';

const anthropic = new Anthropic();

export async function POST(request) {
  const limited = await rateLimit(request);
  if (limited) return limited;
  const { prompt } = await request.json();
  const message = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 512,
    messages: [{ role: 'user', content: prompt }],
  });
  return Response.json(message);
}
