from fastapi import FastAPI

from app.routers import chat, feedback

app = FastAPI(title="FastAPI AI app", version="0.1.0")

app.include_router(chat.router)
app.include_router(feedback.router)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
