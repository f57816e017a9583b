import { settings } from '@/lib/settings';

export async function POST() {
  return Response.json({ ok: true, ai: settings.aiEnabled });
}
