from fastapi import FastAPI
from pydantic import BaseModel

from services.llm import ask

app = FastAPI()


class Prompt(BaseModel):
    text: str


@app.post("/api/chat")
def chat(prompt: Prompt):
    return {"text": ask(prompt.text)}
