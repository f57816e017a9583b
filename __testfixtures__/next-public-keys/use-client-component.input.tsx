'use client';

import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY, dangerouslyAllowBrowser: true });

export function Ask() {
  return <button onClick={() => openai.models.list()}>Ask</button>;
}
