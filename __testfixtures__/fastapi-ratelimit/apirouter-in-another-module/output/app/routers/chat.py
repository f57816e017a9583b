from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.rate_limiting import limiter
from app.services.llm import ask

router = APIRouter(prefix="/api")


class ChatIn(BaseModel):
    message: str


@router.post("/chat")
@limiter.limit("50/day")
@limiter.limit("5/minute")
async def chat(request: Request, payload: ChatIn):
    return {"answer": ask(payload.message)}
