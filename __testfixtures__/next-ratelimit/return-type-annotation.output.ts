import { NextResponse } from 'next/server';
import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

export async function POST(req: Request): Promise<NextResponse | Response> {
  const limited = await rateLimit(req);
  if (limited) return limited;
  void openai.responses.create({ model: 'gpt-4o-mini', input: 'ping' });
  return NextResponse.json({ queued: true });
}
