'use client';

import Anthropic from '@anthropic-ai/sdk';

export function Ask({ apiKey }: { apiKey: string }) {
  const anthropic = new Anthropic({ apiKey, dangerouslyAllowBrowser: true });
  return <button onClick={() => anthropic.models.list()}>Ask</button>;
}
