import { answer } from '@/lib/openai';

export async function POST(req: Request) {
  const { question } = await req.json();
  const text = await answer(question);
  return Response.json({ text }, { headers: { 'Access-Control-Allow-Origin': '*' } });
}
