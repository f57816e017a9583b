import { createChatHandler } from '@/lib/chat';
import { withRateLimit } from '@/lib/rate-limit';

export const POST = withRateLimit(createChatHandler({ model: 'gpt-4o-mini' }));
