from fastapi import APIRouter

from llm import ask

router = APIRouter(prefix="/chat")


@router.post("/complete")
def complete(prompt: str):
    return {"text": ask(prompt)}
