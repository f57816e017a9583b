import { NextResponse, type NextRequest } from 'next/server';
import { allowedOrigin } from '@/lib/cors';

export function middleware(request: NextRequest) {
  const response = NextResponse.next();
  const origin = allowedOrigin(request);
  if (origin) response.headers.set('Access-Control-Allow-Origin', origin);
  response.headers.set('Vary', 'Origin');
  return response;
}

export const config = { matcher: '/api/:path*' };
