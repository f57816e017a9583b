import os
import time

from fastapi import FastAPI, HTTPException, Request
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
recent: dict[str, list[float]] = {}


class Question(BaseModel):
    user_id: str
    text: str


def enforce_rate_limit(user_id: str) -> None:
    now = time.time()
    window = [t for t in recent.get(user_id, []) if now - t < 60]
    if len(window) >= 5:
        raise HTTPException(status_code=429, detail="Too many questions")
    window.append(now)
    recent[user_id] = window


@app.post("/api/ask")
@limiter.limit("50/day")
@limiter.limit("5/minute")
async def ask_endpoint(request: Request, question: Question):
    enforce_rate_limit(question.user_id)
    return {"answer": ask(question.text)}
