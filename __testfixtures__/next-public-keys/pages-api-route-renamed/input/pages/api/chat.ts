import type { NextApiRequest, NextApiResponse } from 'next';
import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY });

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: String(req.body.prompt) });
  res.status(200).json({ text: result.output_text });
}
