'use client';

import { useState } from 'react';
import { openai } from '@/lib/openai';

export function Chat() {
  const [answer, setAnswer] = useState('');
  const ask = async () => setAnswer((await openai.responses.create({ model: 'gpt-4o-mini', input: 'Hello' })).output_text);
  return <button onClick={ask}>{answer || 'Ask'}</button>;
}
