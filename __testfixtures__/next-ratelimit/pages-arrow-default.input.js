import { openai } from '../../lib/ai';

export default async (req, res) => {
  const result = await openai.responses.create({ model: 'gpt-4o-mini', input: req.body.prompt });
  res.json({ text: result.output_text });
};
