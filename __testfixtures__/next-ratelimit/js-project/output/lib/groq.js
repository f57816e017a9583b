import Groq from 'groq-sdk';

export const groq = new Groq();
