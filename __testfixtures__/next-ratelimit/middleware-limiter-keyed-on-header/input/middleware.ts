import { NextResponse, type NextRequest } from 'next/server';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';

const ratelimit = new Ratelimit({ redis: Redis.fromEnv(), limiter: Ratelimit.slidingWindow(5, '1 m') });

export async function middleware(request: NextRequest) {
  const { success } = await ratelimit.limit(request.headers.get('x-real-ip') ?? 'anonymous');
  return success ? NextResponse.next() : NextResponse.json({ error: 'Too many requests' }, { status: 429 });
}

export const config = { matcher: ['/api/:path*'] };
