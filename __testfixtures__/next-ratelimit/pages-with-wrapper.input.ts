import type { NextApiRequest, NextApiResponse } from 'next';
import { withLogging } from '@/lib/logging';
import { openai } from '@/lib/ai';

async function handler(req: NextApiRequest, res: NextApiResponse) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt });
  res.json({ text: result.output_text });
}

export default withLogging(handler);
