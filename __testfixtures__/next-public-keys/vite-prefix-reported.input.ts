export const key = import.meta.env.VITE_OPENAI_API_KEY;
