import OpenAI from 'openai';

const openai = new OpenAI();

// ai-secure-ignore: rate-limit limited by our API gateway (5/min per key)
export async function POST(req: Request) {
  return Response.json(await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() }));
}
