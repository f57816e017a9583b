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
    # Our load balancer appends the address it saw: the last entry is the one to trust.
    client = request.headers.get("X-Forwarded-For", "").split(",")[-1].strip()
    check_rate_limit(client)
    return {"answer": ask(request.json["question"])}
