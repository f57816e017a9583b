from fastapi import FastAPI

from .routers import chat, items

app = FastAPI(title="assistant")
app.include_router(chat.router)
app.include_router(items.router)


@app.get("/health")
def health():
    return {"ok": True}
