'use client';

import OpenAI from 'openai';

export function Ask() {
  const ask = async () => {
    const openai = new OpenAI({ apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY });
    return openai.models.list();
  };
  return <button onClick={ask}>Ask</button>;
}
