import Anthropic from '@anthropic-ai/sdk';

const ANTHROPIC_KEY: string = 'sk-ant-api03-FAKEkeyFORtestsONLY000000000000';

export const anthropic = new Anthropic({ apiKey: ANTHROPIC_KEY });
