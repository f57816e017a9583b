import OpenAI from 'openai';

const openai = new OpenAI();

export async function POST(req: Request) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: await req.text() });
  const body = JSON.stringify({ text: result.output_text });
  return new Response(body, {
    headers: {
      'Access-Control-Allow-Origin': '*',
      'Access-Control-Allow-Credentials': 'true',
      'Content-Type': 'application/json',
    },
  });
}
