import { chat } from '@/lib/chat';
import { withRateLimit } from '@/lib/rate-limit';

export const POST = withRateLimit(chat);
