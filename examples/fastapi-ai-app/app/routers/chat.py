from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.services.llm import complete_chat

router = APIRouter(tags=["chat"])


class Message(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str = Field(min_length=1, max_length=8000)


class ChatIn(BaseModel):
    messages: list[Message] = Field(min_length=1, max_length=40)


class ChatOut(BaseModel):
    reply: str


@router.post("/api/chat", response_model=ChatOut)
def chat(payload: ChatIn) -> ChatOut:
    reply = complete_chat([message.model_dump() for message in payload.messages])
    return ChatOut(reply=reply)
