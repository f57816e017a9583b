export { chat as POST } from '@/lib/chat';
