import { chat } from '@/lib/chat';
import { db } from '@/lib/db';
import { withRateLimit } from '@/lib/rate-limit';

const list = () => Response.json(db.todos);

export { list as GET };
export const POST = withRateLimit(chat);
