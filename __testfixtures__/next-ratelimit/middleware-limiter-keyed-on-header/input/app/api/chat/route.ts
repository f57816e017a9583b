import OpenAI from 'openai';

const openai = new OpenAI();

export async function POST(req: Request) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() });
  return Response.json({ text: result.output_text });
}
