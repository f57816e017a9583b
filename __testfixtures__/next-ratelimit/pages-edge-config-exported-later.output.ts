import type { NextRequest } from 'next/server';
import OpenAI from 'openai';
import { rateLimit } from '@/lib/rate-limit';

const openai = new OpenAI();

const config = { runtime: 'experimental-edge' };

const handler = async (req: NextRequest) => {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const { text } = await req.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Summarize: ${text}` }],
  });
  return new Response(completion.choices[0]?.message.content ?? '');
};

export { config };
export default handler;
