from collections import defaultdict

from flask import Flask, abort, request

from services.llm import ask

app = Flask(__name__)
hits = defaultdict(int)


def check_rate_limit(client):
    hits[client] += 1
    if hits[client] > 5:
        abort(429)


@app.post("/api/ask")
def ask_endpoint():
    check_rate_limit(request.args.get("session", "anonymous"))
    return {"answer": ask(request.json["question"])}
