from fastapi import FastAPI

from services.llm import ask

app = FastAPI()


@app.post("/api/ask")
async def ask_endpoint(question: str, temperature: float = 0.2):
    return {"answer": ask(question)}
