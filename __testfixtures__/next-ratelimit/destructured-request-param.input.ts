import { openai } from '@/lib/ai';

export async function POST({ json }: Request) {
  const { prompt } = await json();
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return Response.json({ text: result.output_text });
}
