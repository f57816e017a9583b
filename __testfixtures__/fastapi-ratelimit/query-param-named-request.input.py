from fastapi import FastAPI

from services.llm import ask

app = FastAPI()


@app.get("/api/answer")
def answer(request: str, style: str = "short"):
    return {"answer": ask(f"{style}: {request}")}
