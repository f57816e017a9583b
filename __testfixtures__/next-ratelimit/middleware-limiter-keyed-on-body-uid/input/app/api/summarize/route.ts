import OpenAI from 'openai';

const client = new OpenAI();

export async function POST(request: Request) {
  const { text } = await request.json();
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: `Summarize: ${text}` }],
  });
  return Response.json({ summary: completion.choices[0]?.message.content });
}
