import { chat } from '@/lib/chat';
import { db } from '@/lib/db';

const list = () => Response.json(db.todos);

export { list as GET, chat as POST };
