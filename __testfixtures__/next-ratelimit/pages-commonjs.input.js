const OpenAI = require('openai');

const openai = new OpenAI();

module.exports = async function handler(req, res) {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt });
  res.json({ text: result.output_text });
};
