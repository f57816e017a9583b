import { NextResponse, type NextRequest } from 'next/server';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';

const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, '1 m') });

export async function middleware(request: NextRequest) {
  // The entry our proxy appended, not one the caller wrote.
  const ip = request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() ?? 'anonymous';
  const { success } = await ratelimit.limit(ip);
  return success ? NextResponse.next() : NextResponse.json({ error: 'Too many requests' }, { status: 429 });
}

export const config = { matcher: ['/api/:path*'] };
