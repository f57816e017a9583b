import { db } from '@/lib/db';

export async function POST(req: Request) {
  const { title } = await req.json();
  db.todos.push(title);
  return Response.json({ ok: true });
}
