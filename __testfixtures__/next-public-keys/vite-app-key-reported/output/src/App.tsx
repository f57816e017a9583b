import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: import.meta.env.VITE_OPENAI_API_KEY, dangerouslyAllowBrowser: true });

export default function App() {
  return <button onClick={() => openai.models.list()}>Models</button>;
}
