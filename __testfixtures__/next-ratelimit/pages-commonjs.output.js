const OpenAI = require('openai');
const { rateLimitPages } = require('@/lib/rate-limit');

const openai = new OpenAI();

module.exports = async function handler(req, res) {
  if (await rateLimitPages(req, res)) return;
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt });
  res.json({ text: result.output_text });
};
