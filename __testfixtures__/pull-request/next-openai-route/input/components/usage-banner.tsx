'use client';

export function UsageBanner() {
  const configured = Boolean(process.env.NEXT_PUBLIC_OPENAI_API_KEY);
  return <p>{configured ? 'Assistant ready' : 'Assistant not configured'}</p>;
}
