from fastapi import FastAPI

from services.llm import ask

app = FastAPI()


@app.post("/api/ask")
def ask_endpoint(question: str):
    return {"answer": ask(question)}