import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

async function chat(request: Request) {
  const limited = await rateLimit(request);
  if (limited) return limited;
  const { messages } = await request.json();
  const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  return Response.json(completion.choices[0]?.message);
}

export { chat as POST };
