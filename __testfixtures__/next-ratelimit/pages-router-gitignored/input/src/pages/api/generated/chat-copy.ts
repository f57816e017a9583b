import type { NextApiRequest, NextApiResponse } from 'next';
import { openai } from '~/server/openai';

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  res.json(await openai.models.list());
}
