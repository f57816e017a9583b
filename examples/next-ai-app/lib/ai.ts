import OpenAI from "openai";

// One client for the whole server, created on first use so that `next build` works without
// the key. The SDK reads OPENAI_API_KEY (and OPENAI_BASE_URL, if set) from the server's
// environment; the key never reaches the browser.
let client: OpenAI | undefined;

function getOpenAI(): OpenAI {
  client ??= new OpenAI();
  return client;
}

export const MODEL = process.env.OPENAI_MODEL ?? "gpt-4o-mini";

export type ChatMessage = { role: "user" | "assistant"; content: string };

export async function chat(messages: ChatMessage[]): Promise<string> {
  const openai = getOpenAI();
  const completion = await openai.chat.completions.create({
    model: MODEL,
    messages: [
      { role: "system", content: "You are a concise, helpful assistant." },
      ...messages,
    ],
  });
  return completion.choices[0]?.message?.content ?? "";
}

export async function summarize(text: string): Promise<string> {
  const openai = getOpenAI();
  const completion = await openai.chat.completions.create({
    model: MODEL,
    messages: [
      { role: "system", content: "Summarize the user's text in one or two sentences." },
      { role: "user", content: text },
    ],
  });
  return completion.choices[0]?.message?.content ?? "";
}
