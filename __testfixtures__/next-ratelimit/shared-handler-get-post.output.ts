import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

async function handler(req: Request) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const prompt = new URL(req.url).searchParams.get('q') ?? '';
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return Response.json({ text: result.output_text });
}

export { handler as GET, handler as POST };
