from fastapi import FastAPI
from pydantic import BaseModel

from services.llm import ask

app = FastAPI()


class Request(BaseModel):
    prompt: str


@app.post("/generate")
def generate(body: Request):
    return {"text": ask(body.prompt)}
