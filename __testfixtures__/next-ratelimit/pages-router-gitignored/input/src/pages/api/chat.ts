import type { NextApiRequest, NextApiResponse } from 'next';
import { openai } from '~/server/openai';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== 'POST') return res.status(405).json({ error: 'Method not allowed' });
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt });
  res.status(200).json({ text: result.output_text });
}
