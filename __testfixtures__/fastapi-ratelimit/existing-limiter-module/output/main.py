from fastapi import FastAPI, Request
from pydantic import BaseModel
from slowapi import _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded

from limits import limiter
from llm import ask

app = FastAPI()
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
app.state.limiter = limiter


class Prompt(BaseModel):
    text: str


@app.post("/api/complete")
@limiter.limit("50/day")
@limiter.limit("5/minute")
def complete(request: Request, prompt: Prompt):
    return {"text": ask(prompt.text)}
