import { complete } from '@/lib/completions';
import { rateLimit } from '@/lib/rate-limit';

export async function POST(request: Request) {
  const limited = await rateLimit(request);
  if (limited) return limited;
  const { messages } = await request.json();
  return Response.json(await complete(messages));
}
