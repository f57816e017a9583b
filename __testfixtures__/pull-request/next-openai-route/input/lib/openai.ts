import OpenAI from 'openai';

export const openai = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY });

export async function answer(question: string): Promise<string> {
  const response = await openai.responses.create({ model: 'gpt-4o-mini', input: question });
  return response.output_text;
}
