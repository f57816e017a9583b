import os

from fastapi import FastAPI, Request as FastAPIRequest
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


class Request(BaseModel):
    prompt: str


@app.post("/generate")
@limiter.limit("50/day")
@limiter.limit("5/minute")
def generate(request: FastAPIRequest, body: Request):
    return {"text": ask(body.prompt)}
