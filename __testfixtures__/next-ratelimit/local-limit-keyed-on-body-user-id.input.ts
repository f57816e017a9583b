import { openai } from '@/lib/ai';

const usage = new Map<string, number[]>();

function checkEnhancedChatRateLimit(userId: string): boolean {
  const now = Date.now();
  const recent = (usage.get(userId) ?? []).filter((t) => now - t < 60_000);
  if (recent.length >= 5) return false;
  usage.set(userId, [...recent, now]);
  return true;
}

export async function POST(req: Request) {
  const { userId, prompt } = await req.json();
  if (!checkEnhancedChatRateLimit(userId)) {
    return Response.json({ error: 'Too many requests' }, { status: 429 });
  }
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return Response.json({ text: result.output_text });
}
