import time

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from services.llm import ask

app = FastAPI()
recent: dict[str, list[float]] = {}


class Question(BaseModel):
    user_id: str
    text: str


def enforce_rate_limit(user_id: str) -> None:
    now = time.time()
    window = [t for t in recent.get(user_id, []) if now - t < 60]
    if len(window) >= 5:
        raise HTTPException(status_code=429, detail="Too many questions")
    window.append(now)
    recent[user_id] = window


@app.post("/api/ask")
async def ask_endpoint(question: Question):
    enforce_rate_limit(question.user_id)
    return {"answer": ask(question.text)}
