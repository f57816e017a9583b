from fastapi import APIRouter
from pydantic import BaseModel

from ..services.llm import ask

router = APIRouter(prefix="/api")


class ChatIn(BaseModel):
    message: str


@router.post("/chat")
async def chat(request: ChatIn):
    return {"answer": ask(request.message)}
