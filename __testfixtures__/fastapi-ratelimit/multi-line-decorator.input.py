from fastapi import FastAPI, status
from pydantic import BaseModel

from services.llm import ask

app = FastAPI()


class Prompt(BaseModel):
    text: str


@app.post(
    "/api/summarize",
    status_code=status.HTTP_200_OK,
    summary="Summarize a text",
)
async def summarize(
    prompt: Prompt,
    max_words: int = 100,
):
    return {"summary": ask(f"Summarize in {max_words} words: {prompt.text}")}
