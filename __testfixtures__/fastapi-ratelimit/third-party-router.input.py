from fastapi import FastAPI
from fastapi_users import FastAPIUsers
from some_ai_kit.routes import chat_router

from services.llm import ask

app = FastAPI()
app.include_router(chat_router, prefix="/ai")


@app.post("/api/ask")
def ask_endpoint(question: str):
    return {"answer": ask(question)}
