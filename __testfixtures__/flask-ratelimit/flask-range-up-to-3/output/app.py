import os

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from llm import ask

app = Flask(__name__)
limiter = Limiter(
    get_remote_address,
    app=app,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)


@app.post("/api/ask")
@limiter.limit("50 per day")
@limiter.limit("5 per minute")
def ask_endpoint():
    return {"answer": ask(request.json["q"])}
