import { Chat } from '@/components/chat';

export default function Home() {
  return <Chat apiKey={process.env.NEXT_PUBLIC_OPENAI_API_KEY} />;
}
