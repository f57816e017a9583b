import { openai } from "@/lib/ai"

export async function POST(req: Request) {
  const { prompt } = await req.json()
  const result = await openai.responses.create({ model: "gpt-4o-mini", input: prompt })
  return Response.json({ text: result.output_text })
}
