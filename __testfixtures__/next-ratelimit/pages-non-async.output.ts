import type { NextApiRequest, NextApiResponse } from 'next';
import { openai } from '@/lib/ai';
import { rateLimitPages } from '@/lib/rate-limit';

export default async function handler(req: NextApiRequest, res: NextApiResponse): Promise<void> {
  if (await rateLimitPages(req, res)) return;
  openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt }).then((result) => res.json({ text: result.output_text }));
}
