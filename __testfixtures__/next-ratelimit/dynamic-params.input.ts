import { openai } from '@/lib/ai';

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const thread = await openai.beta.threads.retrieve(id);
  return Response.json(thread);
}
