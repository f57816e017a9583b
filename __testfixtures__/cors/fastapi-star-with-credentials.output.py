import os

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware


def allowed_origins() -> list[str]:
    """The origins that may call this API from a browser: ALLOWED_ORIGINS, comma-separated ("*" is ignored)."""
    raw = os.environ.get("ALLOWED_ORIGINS") or "http://localhost:3000"
    return [origin.strip() for origin in raw.split(",") if origin.strip() and origin.strip() != "*"]


app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=allowed_origins(),
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)


@app.post("/api/chat")
def chat(text: str):
    return {"text": text}
