import OpenAI from 'openai';

function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const openai = new OpenAI({ apiKey: requireEnv('NEXT_PUBLIC_OPENAI_API_KEY') });

export async function GET() {
  return Response.json(await openai.models.list());
}
