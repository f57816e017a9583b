'use server';

import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY });

export async function ask(question: string) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: question });
  return result.output_text;
}
