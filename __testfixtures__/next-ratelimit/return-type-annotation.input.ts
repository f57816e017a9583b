import { NextResponse } from 'next/server';
import { openai } from '@/lib/ai';

export function POST(req: Request): NextResponse {
  void openai.responses.create({ model: 'gpt-4o-mini', input: 'ping' });
  return NextResponse.json({ queued: true });
}
