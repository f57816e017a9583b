import { complete } from '@/lib/completions';

export async function POST(request: Request) {
  const { messages } = await request.json();
  return Response.json(await complete(messages));
}
