"""Chat service."""
from __future__ import annotations

import os

from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from services.llm import ask

limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)

router = APIRouter(prefix="/api")


class Prompt(BaseModel):
    text: str


@router.post("/chat")
@limiter.limit("50/day")
@limiter.limit("5/minute")
async def chat(request: Request, prompt: Prompt) -> dict[str, str]:
    return {"text": ask(prompt.text)}


app = FastAPI()
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
app.include_router(router)
