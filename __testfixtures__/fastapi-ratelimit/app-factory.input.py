from fastapi import FastAPI
from pydantic import BaseModel

from services.llm import ask


class Prompt(BaseModel):
    text: str


def get_app() -> FastAPI:
    app = FastAPI(title="factory")

    @app.post("/complete")
    def complete(prompt: Prompt):
        return {"text": ask(prompt.text)}

    return app
