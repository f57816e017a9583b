export async function POST(req: Request) {
  const { q } = await req.json();
  return Response.json({ results: [], q });
}
