'use client';

import { useState } from 'react';
import { ask } from './actions';

export function Chat() {
  const [answer, setAnswer] = useState('');
  return <button onClick={async () => setAnswer(await ask('Hello'))}>{answer || 'Ask'}</button>;
}
