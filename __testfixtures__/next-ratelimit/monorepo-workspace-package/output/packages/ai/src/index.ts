import Anthropic from '@anthropic-ai/sdk';

const anthropic = new Anthropic();

export async function summarize(text: string) {
  const message = await anthropic.messages.create({
    model: 'claude-sonnet-4-5',
    max_tokens: 300,
    messages: [{ role: 'user', content: `Summarize: ${text}` }],
  });
  return message.content;
}
