'use client';

export function Chat({ apiKey }: { apiKey?: string }) {
  return <p>{apiKey ? 'ready' : 'no key'}</p>;
}
