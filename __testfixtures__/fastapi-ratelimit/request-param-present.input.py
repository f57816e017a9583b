from fastapi import FastAPI, Request

from services.llm import ask

app = FastAPI()


@app.post("/api/ask")
async def ask_endpoint(request: Request):
    data = await request.json()
    return {"answer": ask(data["question"])}
