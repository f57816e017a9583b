import type { NextApiRequest, NextApiResponse } from "next";
import { summarize } from "@/lib/ai";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") {
    res.setHeader("Allow", "POST");
    return res.status(405).json({ error: "Method not allowed" });
  }

  const text = typeof req.body?.text === "string" ? req.body.text : "";
  if (!text) {
    return res.status(400).json({ error: "text is required" });
  }

  const summary = await summarize(text);
  return res.status(200).json({ summary });
}
