import OpenAI from 'openai';

export const openai = new OpenAI({ apiKey: 'sk-proj-FAKEkeyFORtestsONLY4444444444444444444444' });
