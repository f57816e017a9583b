import OpenAI from 'openai';

export const runtime = 'edge';

const openai = new OpenAI();

export default async function handler(req: Request) {
  const { prompt } = await req.json();
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: prompt }],
  });
  return Response.json(completion.choices[0]?.message);
}
