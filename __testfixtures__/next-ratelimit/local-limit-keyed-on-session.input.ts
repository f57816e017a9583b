import { auth } from '@/lib/auth';
import { openai } from '@/lib/ai';

const usage = new Map<string, number[]>();

function checkChatRateLimit(userId: string): boolean {
  const now = Date.now();
  const recent = (usage.get(userId) ?? []).filter((t) => now - t < 60_000);
  if (recent.length >= 5) return false;
  usage.set(userId, [...recent, now]);
  return true;
}

export async function POST(req: Request) {
  const session = await auth();
  if (!session?.user?.id) return Response.json({ error: 'Sign in first' }, { status: 401 });
  if (!checkChatRateLimit(session.user.id)) {
    return Response.json({ error: 'Too many requests' }, { status: 429 });
  }
  const { prompt } = await req.json();
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return Response.json({ text: result.output_text });
}
