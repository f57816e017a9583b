import { NextResponse } from 'next/server';
import { openai } from '@/lib/ai';

export async function POST(req: Request): Promise<NextResponse<{ text: string }>> {
  const { prompt } = await req.json();
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return NextResponse.json({ text: result.output_text });
}
