import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

async function answer(req: Request) {
  const { prompt } = await req.json();
  return openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
}

export const POST = async (req: Request) => {
  const limited = await rateLimit(req);
  if (limited) return limited;
  return Response.json(await answer(req));
};
