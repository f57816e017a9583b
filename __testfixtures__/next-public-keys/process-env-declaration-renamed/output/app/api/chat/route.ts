import { GoogleGenerativeAI } from '@google/generative-ai';

const genAI = new GoogleGenerativeAI(process.env.GEMINI_API_KEY);

export async function POST(req: Request) {
  const result = await genAI.getGenerativeModel({ model: 'gemini-2.5-flash' }).generateContent(await req.text());
  return Response.json({ text: result.response.text() });
}
