import { createAiRoutes } from '@/lib/chat';

export const { GET, POST } = createAiRoutes({ model: 'gpt-4o-mini' });
