'use server';

import OpenAI from 'openai';

const openai = new OpenAI();

export async function ask(prompt: string) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: prompt });
  return result.output_text;
}
