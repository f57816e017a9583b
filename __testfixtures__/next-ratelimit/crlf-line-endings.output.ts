import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

export async function POST(req: Request) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const { prompt } = await req.json();
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return Response.json({ text: result.output_text });
}
