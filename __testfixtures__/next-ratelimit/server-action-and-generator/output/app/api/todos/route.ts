export async function POST(req: Request) {
  return Response.json({ saved: await req.text() });
}
