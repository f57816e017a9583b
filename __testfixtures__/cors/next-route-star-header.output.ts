import { corsHeaders } from '@/lib/cors';

export async function OPTIONS(request: Request) {
  return new Response(null, {
    status: 204,
    headers: corsHeaders(request, {
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
    }),
  });
}

export async function POST(request: Request) {
  const body = await request.json();
  return Response.json({ echo: body }, { headers: corsHeaders(request) });
}
