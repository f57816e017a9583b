from fastapi import APIRouter, WebSocket
from pydantic import BaseModel

from app.llm import complete

router = APIRouter(prefix="/api")


class Prompt(BaseModel):
    text: str


@router.post("/complete")
async def complete_endpoint(prompt: Prompt):
    return {"text": await complete(prompt.text)}


@router.get("/health")
def health():
    return {"ok": True}


@router.websocket("/ws")
async def socket(websocket: WebSocket):
    await websocket.accept()
