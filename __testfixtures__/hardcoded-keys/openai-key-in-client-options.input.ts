import OpenAI from 'openai';

export const openai = new OpenAI({
  apiKey: 'sk-proj-FAKEkeyFORtestsONLY0000000000000000000000',
});
