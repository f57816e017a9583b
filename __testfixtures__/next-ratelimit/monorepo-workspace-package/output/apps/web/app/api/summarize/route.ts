import { summarize } from '@acme/ai';
import { rateLimit } from '../../../lib/rate-limit';

export async function POST(req: Request) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const { text } = await req.json();
  return Response.json({ summary: await summarize(text) });
}
