import OpenAI from 'openai';

// Paste your key here
export const openai = new OpenAI({ apiKey: 'your-openai-api-key' });
