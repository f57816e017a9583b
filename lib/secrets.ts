// Secret values must never leave the tool: every text we print goes through maskSecrets.
// The formats are the providers' documented key shapes; the mask keeps the prefix and the
// last four characters so a user can still tell which key is meant.

const SECRET_PATTERNS: RegExp[] = [
  /\bsk-ant-[A-Za-z0-9_-]{16,}/g, // Anthropic
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g, // OpenAI
  /\bgsk_[A-Za-z0-9]{20,}/g, // Groq
  /\bhf_[A-Za-z0-9]{20,}/g, // Hugging Face
  /\bAIza[0-9A-Za-z_-]{35}\b/g, // Google
  /\br8_[A-Za-z0-9]{20,}/g, // Replicate
  /\bxai-[A-Za-z0-9]{20,}/g, // xAI
];

/** `sk-proj-abc…wxyz` → `sk-…wxyz`: enough to recognise a key, not enough to use it. */
export function maskSecret(value: string): string {
  const prefix = /^(sk-ant-|sk-|gsk_|hf_|AIza|r8_|xai-)/.exec(value)?.[1] ?? '';
  return `${prefix}…${value.slice(-4)}`;
}

export function maskSecrets(text: string): string {
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern, maskSecret);
  return out;
}
