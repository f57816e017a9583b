import { createChatHandler } from '@/lib/chat';

export const POST = createChatHandler({ model: 'gpt-4o-mini' });
