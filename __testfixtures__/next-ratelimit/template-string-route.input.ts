// A code generator: the route source it returns is text, not a handler of this app.
export async function GET() {
  const source = `import OpenAI from 'openai';
const openai = new OpenAI({ baseURL: 'https://api.openai.com/v1' });
export async function POST(req) {
  return Response.json(await openai.models.list());
}
`;
  return new Response(source, { headers: { 'content-type': 'text/plain' } });
}
