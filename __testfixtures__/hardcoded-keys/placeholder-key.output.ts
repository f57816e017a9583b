import OpenAI from 'openai';

// Paste your key here
export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
