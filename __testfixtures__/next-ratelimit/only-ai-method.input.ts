import { openai } from '@/lib/ai';
import { db } from '@/lib/db';

export async function GET() {
  return Response.json(db.todos);
}

export async function POST(req: Request) {
  const { prompt } = await req.json();
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return Response.json({ text: result.output_text });
}
