import type { NextApiRequest, NextApiResponse } from 'next';
import { withLogging } from '@/lib/logging';
import { openai } from '@/lib/ai';
import { rateLimitPages } from '@/lib/rate-limit';

async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (await rateLimitPages(req, res)) return;
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt });
  res.json({ text: result.output_text });
}

export default withLogging(handler);
