from fastapi import APIRouter, Request

from llm import ask
from rate_limiting import limiter

router = APIRouter(prefix="/chat")


@router.post("/complete")
@limiter.limit("50/day")
@limiter.limit("5/minute")
def complete(request: Request, prompt: str):
    return {"text": ask(prompt)}
