from fastapi import FastAPI

from services.llm import ask

app = FastAPI(docs_url=None)  # no Swagger UI in production


@app.post("/api/ask")
def ask_endpoint(question: str):
    return {"answer": ask(question)}
