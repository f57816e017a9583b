import type { NextApiRequest, NextApiResponse } from 'next';
import { openai } from '@/lib/ai';

export default function handler(req: NextApiRequest, res: NextApiResponse): void {
  openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt }).then((result) => res.json({ text: result.output_text }));
}
