import os

from flask import Flask, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from services.llm import ask

app = Flask(__name__)
limiter = Limiter(
    get_remote_address,
    app=app,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)


@app.route("/api/summarize", methods=["POST"])
@limiter.limit("50 per day")
@limiter.limit("5 per minute")
def summarize():
    text = request.get_json()["text"]
    return jsonify(summary=ask(f"Summarize: {text}"))


@app.route("/health")
def health():
    return "ok"
