import OpenAI from 'openai';
import { rateLimit } from '@/lib/rate-limit';

const openai = new OpenAI();

export async function POST(req: Request) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() });
  return Response.json({ text: result.output_text });
}
