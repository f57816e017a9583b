import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

export async function POST(request: Request) {
  const limited = await rateLimit(request);
  if (limited) return limited;
  return openai.models.list().then((models) => Response.json(models));
}
