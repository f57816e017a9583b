export const settings = {
  aiEnabled: Boolean(process.env.OPENAI_API_KEY),
  region: process.env.REGION ?? 'eu',
};
