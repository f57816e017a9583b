import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

const handler = async (req: Request) => {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const body = await req.json();
  const result = await openai.embeddings.create({ model: 'text-embedding-3-small', input: body.text });
  return Response.json(result.data[0]);
};

export const POST = handler;
