import { groq } from '../../../lib/groq.js';

export async function POST(request) {
  const { prompt } = await request.json();
  const completion = await groq.chat.completions.create({
    model: 'llama-3.1-8b-instant',
    messages: [{ role: 'user', content: prompt }],
  });
  return Response.json(completion.choices[0].message);
}
