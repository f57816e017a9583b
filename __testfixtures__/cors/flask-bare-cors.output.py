import os

from flask import Flask
from flask_cors import CORS


def allowed_origins() -> list[str]:
    """The origins that may call this API from a browser: ALLOWED_ORIGINS, comma-separated ("*" is ignored)."""
    raw = os.environ.get("ALLOWED_ORIGINS") or "http://localhost:3000"
    return [origin.strip() for origin in raw.split(",") if origin.strip() and origin.strip() != "*"]


app = Flask(__name__)
CORS(app, origins=allowed_origins())


@app.post("/api/ask")
def ask():
    return {"ok": True}
