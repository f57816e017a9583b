"""Chat service."""
from __future__ import annotations

from fastapi import APIRouter, FastAPI
from pydantic import BaseModel

from services.llm import ask

router = APIRouter(prefix="/api")


class Prompt(BaseModel):
    text: str


@router.post("/chat")
async def chat(prompt: Prompt) -> dict[str, str]:
    return {"text": ask(prompt.text)}


app = FastAPI()
app.include_router(router)
