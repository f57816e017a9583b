'use client';

import OpenAI from 'openai';

const openai = new OpenAI({ apiKey: 'sk-proj-FAKEkeyFORtestsONLY3333333333333333333333', dangerouslyAllowBrowser: true });

export function Ask() {
  return <button onClick={() => openai.models.list()}>Ask</button>;
}
