import os

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Prompt(BaseModel):
    text: str


@app.post('/api/raw')
async def raw(prompt: Prompt):
    async with httpx.AsyncClient() as client:
        response = await client.post(
            'https://api.openai.com/v1/chat/completions',
            headers={'Authorization': f'Bearer {os.environ["OPENAI_API_KEY"]}'},
            json={'model': 'gpt-4o-mini', 'messages': [{'role': 'user', 'content': prompt.text}]},
        )
    return response.json()
