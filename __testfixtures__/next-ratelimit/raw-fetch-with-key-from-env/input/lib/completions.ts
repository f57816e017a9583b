// Any OpenAI-compatible server: the base URL comes from the deployment.
export async function complete(messages: { role: string; content: string }[]) {
  const response = await fetch(`${process.env.LLM_BASE_URL}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
    body: JSON.stringify({ model: 'gpt-4o-mini', messages }),
  });
  return response.json();
}
