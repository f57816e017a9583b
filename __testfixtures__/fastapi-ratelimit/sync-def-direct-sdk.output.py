import os

import anthropic
from fastapi import FastAPI, Request
from pydantic import BaseModel
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

app = FastAPI()
limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
claude = anthropic.Anthropic()


class Question(BaseModel):
    text: str


@app.post("/claude")
@limiter.limit("50/day")
@limiter.limit("5/minute")
def ask_claude(request: Request, question: Question):
    message = claude.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=256,
        messages=[{"role": "user", "content": question.text}],
    )
    return {"text": message.content[0].text}
