import os

import httpx
from fastapi import FastAPI, Request
from pydantic import BaseModel
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

app = FastAPI()
limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get('RATE_LIMIT_STORAGE_URI') or 'memory://',
)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)


class Prompt(BaseModel):
    text: str


@app.post('/api/raw')
@limiter.limit('50/day')
@limiter.limit('5/minute')
async def raw(request: Request, prompt: Prompt):
    async with httpx.AsyncClient() as client:
        response = await client.post(
            'https://api.openai.com/v1/chat/completions',
            headers={'Authorization': f'Bearer {os.environ["OPENAI_API_KEY"]}'},
            json={'model': 'gpt-4o-mini', 'messages': [{'role': 'user', 'content': prompt.text}]},
        )
    return response.json()
