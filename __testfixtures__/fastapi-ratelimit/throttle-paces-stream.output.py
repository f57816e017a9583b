import os

from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from services.llm import ask
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address
from streaming import throttle

app = FastAPI()
limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)


@app.post("/api/story")
@limiter.limit("50/day")
@limiter.limit("5/minute")
async def story(request: Request, prompt: str):
    def chunks():
        for word in ask(prompt).split():
            throttle(0.02)  # paces the words for the typing effect
            yield word + " "

    throttle(0)
    return StreamingResponse(chunks())
