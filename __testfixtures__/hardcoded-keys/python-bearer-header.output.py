import os
import httpx


def complete(prompt: str) -> dict:
    headers = {"Authorization": f"Bearer {os.environ['GROQ_API_KEY']}", "Content-Type": "application/json"}
    body = {"model": "llama-3.1-8b-instant", "messages": [{"role": "user", "content": prompt}]}
    return httpx.post("https://api.groq.com/openai/v1/chat/completions", headers=headers, json=body).json()
