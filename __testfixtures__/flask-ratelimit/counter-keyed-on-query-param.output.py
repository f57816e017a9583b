import os
from collections import defaultdict

from flask import Flask, abort, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from services.llm import ask

app = Flask(__name__)
limiter = Limiter(
    get_remote_address,
    app=app,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
hits = defaultdict(int)


def check_rate_limit(client):
    hits[client] += 1
    if hits[client] > 5:
        abort(429)


@app.post("/api/ask")
@limiter.limit("50 per day")
@limiter.limit("5 per minute")
def ask_endpoint():
    check_rate_limit(request.args.get("session", "anonymous"))
    return {"answer": ask(request.json["question"])}
