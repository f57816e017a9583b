from fastapi import FastAPI
from pydantic import BaseModel

from limits import limiter
from llm import ask

app = FastAPI()
app.state.limiter = limiter


class Prompt(BaseModel):
    text: str


@app.post("/api/complete")
def complete(prompt: Prompt):
    return {"text": ask(prompt.text)}
