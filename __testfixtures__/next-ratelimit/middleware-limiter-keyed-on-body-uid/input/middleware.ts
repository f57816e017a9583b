import { NextResponse, type NextRequest } from 'next/server';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';

export async function middleware(request: NextRequest) {
  const body = await request.clone().json();
  // One bucket per signed-in user, sent by the client.
  const key = body.userId ?? 'guest';
  const limiter = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(10, '1 m') });
  const { success } = await limiter.limit(key);
  if (!success) return NextResponse.json({ error: 'Too many requests' }, { status: 429 });
  return NextResponse.next();
}

export const config = { matcher: '/api/summarize' };
