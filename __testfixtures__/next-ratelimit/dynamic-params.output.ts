import { openai } from '@/lib/ai';
import { rateLimit } from '@/lib/rate-limit';

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const { id } = await params;
  const thread = await openai.beta.threads.retrieve(id);
  return Response.json(thread);
}
