import { openai } from '@/lib/ai';

export function POST() {
  return openai.models.list().then((models) => Response.json(models));
}
