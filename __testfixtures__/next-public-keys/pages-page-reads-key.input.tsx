import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.NEXT_PUBLIC_GEMINI_API_KEY!);

export default function Home() {
  return <button onClick={() => genAI.getGenerativeModel({ model: 'gemini-2.5-flash' }).generateContent('hi')}>Ask</button>;
}
