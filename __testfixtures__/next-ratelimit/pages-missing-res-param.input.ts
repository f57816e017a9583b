import { openai } from '@/lib/ai';

export default async function handler(req: { body: { prompt: string } }) {
  await openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt });
}
