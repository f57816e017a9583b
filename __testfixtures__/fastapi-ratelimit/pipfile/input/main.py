from fastapi import FastAPI
from pydantic import BaseModel

from llm import ask

app = FastAPI()


class Prompt(BaseModel):
    text: str


@app.post("/api/complete")
def complete(prompt: Prompt):
    return {"text": ask(prompt.text)}
