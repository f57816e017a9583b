import { NextResponse } from 'next/server';
import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

export async function POST(req: Request): Promise<NextResponse<{ text: string }> | Response> {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const { prompt } = await req.json();
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return NextResponse.json({ text: result.output_text });
}
