import { allowedOrigin } from '@/lib/cors';

export async function POST(request: Request) {
  const res = Response.json(await request.json());
  const origin = allowedOrigin(request);
  if (origin) res.headers.set('Access-Control-Allow-Origin', origin);
  res.headers.set('Vary', 'Origin');
  return res;
}
