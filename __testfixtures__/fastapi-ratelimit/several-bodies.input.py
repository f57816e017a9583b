from fastapi import FastAPI
from pydantic import BaseModel

from services.llm import ask

app = FastAPI()


class Prompt(BaseModel):
    text: str


class Settings(BaseModel):
    temperature: float = 0.2


@app.post("/api/run")
async def run(request: Prompt, settings: Settings):
    return {"text": ask(request.text), "temperature": settings.temperature}
