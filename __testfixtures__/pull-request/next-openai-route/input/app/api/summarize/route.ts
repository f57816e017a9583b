import { openai } from '@/lib/openai';

export async function POST(req: Request) {
  const { text } = await req.json();
  const summary = await openai.responses.create({ model: 'gpt-4o-mini', input: `Summarize:\n${text}` });
  return Response.json({ summary: summary.output_text });
}
