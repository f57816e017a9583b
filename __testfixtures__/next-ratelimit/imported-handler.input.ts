import { chat } from '@/lib/chat';

export { chat as POST };
