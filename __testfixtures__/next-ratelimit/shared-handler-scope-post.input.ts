import { db } from '@/lib/db';

async function handler(req: Request) {
  if (req.method === 'POST') db.todos.push(await req.text());
  return Response.json(db.todos);
}

export { handler as GET, handler as POST };
