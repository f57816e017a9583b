// A private folder (leading underscore): Next.js does not route it.
import OpenAI from 'openai';

export async function POST() {
  return Response.json(await new OpenAI().models.list());
}
