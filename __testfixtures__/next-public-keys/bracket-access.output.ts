export const anthropicKey = process.env['ANTHROPIC_API_KEY'];
