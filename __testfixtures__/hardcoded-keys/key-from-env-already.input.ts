import OpenAI from 'openai';

export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
const taskList = 'task-list-of-things-to-do-today-and-tomorrow';
export const label = `sk-${taskList}`;
