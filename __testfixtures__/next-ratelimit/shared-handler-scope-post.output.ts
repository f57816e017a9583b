import { db } from '@/lib/db';
import { withRateLimit } from '@/lib/rate-limit';

async function handler(req: Request) {
  if (req.method === 'POST') db.todos.push(await req.text());
  return Response.json(db.todos);
}

export { handler as GET };
export const POST = withRateLimit(handler);
