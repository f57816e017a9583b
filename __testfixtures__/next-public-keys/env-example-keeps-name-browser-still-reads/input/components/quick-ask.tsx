'use client';

import OpenAI from 'openai';

export function QuickAsk() {
  const openai = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY, dangerouslyAllowBrowser: true });
  return <button onClick={() => openai.models.list()}>Models</button>;
}
