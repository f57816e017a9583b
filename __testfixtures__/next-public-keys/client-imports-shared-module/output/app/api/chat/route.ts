import { openai } from '@/lib/openai';

export async function POST(req: Request) {
  return Response.json(await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() }));
}
