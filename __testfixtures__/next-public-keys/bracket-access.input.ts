export const anthropicKey = process.env['NEXT_PUBLIC_ANTHROPIC_API_KEY'];
