'use server';

import OpenAI from 'openai';

const openai = new OpenAI();

export async function summarize(text: string) {
  const r = await openai.responses.create({ model: 'gpt-4o-mini', input: `Summarize: ${text}` });
  return r.output_text;
}
