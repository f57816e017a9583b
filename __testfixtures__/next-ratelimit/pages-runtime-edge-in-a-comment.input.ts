import type { NextApiRequest, NextApiResponse } from 'next';
import OpenAI from 'openai';

const openai = new OpenAI();

// Do not set `runtime: 'edge'` here: the SDK needs Node streams.
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const completion = await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: String(req.body.prompt) }],
  });
  res.status(200).json(completion.choices[0]?.message);
}
