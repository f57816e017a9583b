import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic({ apiKey: process.env["ANTHROPIC_API_KEY"] });

export async function POST(req: Request) {
  const message = await anthropic.messages.create({ model: 'claude-sonnet-4-5', max_tokens: 512, messages: [{ role: 'user', content: await req.text() }] });
  return Response.json(message);
}
