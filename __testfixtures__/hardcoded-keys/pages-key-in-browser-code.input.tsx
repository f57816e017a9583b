import { useState } from 'react';

const OPENAI_KEY = 'sk-proj-FAKEkeyFORtestsONLY2222222222222222222222';

export default function Playground() {
  const [answer, setAnswer] = useState('');
  async function ask() {
    const res = await fetch('https://api.openai.com/v1/responses', {
      method: 'POST',
      headers: { Authorization: `Bearer ${OPENAI_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', input: 'Hi' }),
    });
    setAnswer(JSON.stringify(await res.json()));
  }
  return <button onClick={ask}>{answer || 'Ask'}</button>;
}
