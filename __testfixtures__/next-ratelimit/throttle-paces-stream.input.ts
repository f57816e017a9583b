import throttle from 'throttleit';
import { openai } from '@/lib/ai';

export async function POST(req: Request) {
  const { messages } = await req.json();
  const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  const encoder = new TextEncoder();
  const body = new ReadableStream({
    async start(controller) {
      let text = '';
      // Paces the writes to the client: one flush per 50 ms, whatever the caller does.
      const flush = throttle(() => controller.enqueue(encoder.encode(text)), 50);
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? '';
        flush();
      }
      controller.close();
    },
  });
  return new Response(body);
}
