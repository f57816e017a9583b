import { generateId, type UIMessage } from 'ai';
import type { LanguageModel } from 'ai';
import { db } from '@/lib/db';

export async function POST(req: Request) {
  const message = (await req.json()) as UIMessage;
  db.todos.push(`${generateId()}: ${message.id}`);
  return Response.json({ ok: true });
}

export type Model = LanguageModel;
