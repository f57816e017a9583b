import { NextResponse, type NextRequest } from 'next/server';

export async function middleware(request: NextRequest) {
  const res = await fetch('https://api.openai.com/v1/moderations', {
    method: 'POST',
    headers: { Authorization: `Bearer ${process.env.OPENAI_API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ input: request.nextUrl.searchParams.get('q') ?? '' }),
  });
  const { results } = await res.json();
  return results[0]?.flagged ? new NextResponse('Flagged', { status: 400 }) : NextResponse.next();
}

export const config = { matcher: '/search' };
