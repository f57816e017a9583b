import { openai } from '@/lib/ai';

async function answer(req: Request) {
  const { prompt } = await req.json();
  return openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
}

export const POST = async (req: Request) => Response.json(await answer(req));
