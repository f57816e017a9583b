import { openai } from '@/lib/ai';

export async function POST(req: Request) {
  const { prompt, limited } = await req.json();
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt, max_output_tokens: limited ? 100 : 1000 });
  return Response.json({ text: result.output_text });
}
