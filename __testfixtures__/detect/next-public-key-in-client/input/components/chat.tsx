'use client';

import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY, dangerouslyAllowBrowser: true });

export function Chat() {
  return <button onClick={() => openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [] })}>Ask</button>;
}
