export default function Home() {
  const key = process.env.NEXT_PUBLIC_GEMINI_API_KEY;
  return <p>{key ? 'ready' : 'missing key'}</p>;
}
