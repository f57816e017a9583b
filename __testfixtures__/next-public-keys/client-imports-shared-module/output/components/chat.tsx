'use client';

import { openai } from '@/lib/openai';

export function Chat() {
  return <button onClick={() => openai.models.list()}>Models</button>;
}
