import { NextRequest, NextResponse } from 'next/server';
import { gemini } from '@/lib/gemini';

export async function POST(request: NextRequest) {
  const { prompt } = await request.json();
  const response = await gemini.models.generateContent({ model: 'gemini-2.0-flash', contents: prompt });
  return NextResponse.json({ text: response.text });
}
