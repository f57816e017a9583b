import { ask } from '../../../lib/ai';

export async function POST(req: Request) {
  const { prompt } = await req.json();
  return Response.json({ answer: await ask(prompt) });
}
