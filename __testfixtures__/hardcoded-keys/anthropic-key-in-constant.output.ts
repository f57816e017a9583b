import Anthropic from '@anthropic-ai/sdk';

const ANTHROPIC_KEY: string = process.env.ANTHROPIC_API_KEY!;

export const anthropic = new Anthropic({ apiKey: ANTHROPIC_KEY });
