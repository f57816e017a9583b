from fastapi import FastAPI
from pydantic import BaseModel

from services.llm import ask

app = FastAPI()


class ChatIn(BaseModel):
    message: str


@app.post("/api/chat")
async def chat(request: ChatIn):
    answer = ask(request.message)
    return {"answer": answer, "echo": request.message}
