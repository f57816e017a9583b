import { openai } from '../../lib/ai';
import { rateLimitPages } from '@/lib/rate-limit';

export default async (req, res) => {
  if (await rateLimitPages(req, res)) return;
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt });
  res.json({ text: result.output_text });
};
