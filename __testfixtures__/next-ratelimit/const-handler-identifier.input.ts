import { openai } from '@/lib/ai';

const handler = async (req: Request) => {
  const body = await req.json();
  const result = await openai.embeddings.create({ model: 'text-embedding-3-small', input: body.text });
  return Response.json(result.data[0]);
};

export const POST = handler;
