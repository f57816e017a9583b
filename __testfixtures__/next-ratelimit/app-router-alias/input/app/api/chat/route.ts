import { openai } from '@/lib/ai';

export async function POST(req: Request) {
  const { messages } = await req.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  return Response.json(completion.choices[0]?.message);
}
