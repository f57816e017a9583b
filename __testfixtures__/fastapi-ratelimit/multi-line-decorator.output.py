import os

from fastapi import FastAPI, Request, status
from pydantic import BaseModel
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from services.llm import ask

app = FastAPI()
limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)


class Prompt(BaseModel):
    text: str


@app.post(
    "/api/summarize",
    status_code=status.HTTP_200_OK,
    summary="Summarize a text",
)
@limiter.limit("50/day")
@limiter.limit("5/minute")
async def summarize(
    request: Request,
    prompt: Prompt,
    max_words: int = 100,
):
    return {"summary": ask(f"Summarize in {max_words} words: {prompt.text}")}
