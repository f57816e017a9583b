export async function OPTIONS() {
  return new Response(null, {
    status: 204,
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Methods': 'POST, OPTIONS',
    },
  });
}

export async function POST(request: Request) {
  const body = await request.json();
  return Response.json({ echo: body }, { headers: { 'Access-Control-Allow-Origin': '*' } });
}
