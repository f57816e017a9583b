import { openai } from '@/lib/ai';

async function handler(req: Request) {
  const prompt = new URL(req.url).searchParams.get('q') ?? '';
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return Response.json({ text: result.output_text });
}

export { handler as GET, handler as POST };
