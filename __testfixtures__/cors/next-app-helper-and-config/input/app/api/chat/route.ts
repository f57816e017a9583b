export async function POST(request: Request) {
  const res = Response.json(await request.json());
  res.headers.set('Access-Control-Allow-Origin', '*');
  return res;
}
