import OpenAI from 'openai';
import { rateLimit } from '@/lib/rate-limit';

const client = new OpenAI();

export async function POST(request: Request) {
  const limited = await rateLimit(request);
  if (limited) return limited;
  const { text } = await request.json();
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Summarize: ${text}` }],
  });
  return Response.json({ summary: completion.choices[0]?.message.content });
}
