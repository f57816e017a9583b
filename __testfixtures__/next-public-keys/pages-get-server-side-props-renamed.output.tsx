import OpenAI from 'openai';

export async function getServerSideProps() {
  const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: 'A haiku about the sea' });
  return { props: { haiku: result.output_text } };
}

export default function Haiku({ haiku }: { haiku: string }) {
  return <pre>{haiku}</pre>;
}
