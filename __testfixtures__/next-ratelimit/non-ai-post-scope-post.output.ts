import { db } from '@/lib/db';
import { rateLimit } from '@/lib/rate-limit';

export async function POST(req: Request) {
  const limited = await rateLimit(req);
  if (limited) return limited;
  const { title } = await req.json();
  db.todos.push(title);
  return Response.json({ ok: true });
}
