import type { NextApiRequest, NextApiResponse } from 'next';
import { db } from '@/lib/db';

export default function handler(req: NextApiRequest, res: NextApiResponse) {
  res.json(db.todos);
}
