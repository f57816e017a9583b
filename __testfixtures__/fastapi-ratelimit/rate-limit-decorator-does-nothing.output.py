import functools
import os

from fastapi import FastAPI, Request
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


def rate_limit(calls: int):
    """Placeholder: to be wired to Redis later."""

    def wrap(fn):
        @functools.wraps(fn)
        async def inner(*args, **kwargs):
            return await fn(*args, **kwargs)

        return inner

    return wrap


@app.post("/api/ask")
@limiter.limit("50/day")
@limiter.limit("5/minute")
@rate_limit(calls=5)
async def ask_endpoint(request: Request, question: str):
    return {"answer": ask(question)}
