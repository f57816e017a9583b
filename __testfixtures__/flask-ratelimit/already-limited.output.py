from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from services.llm import ask

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")


@app.post("/api/ask")
@limiter.limit("10 per minute")
def ask_endpoint():
    return {"answer": ask(request.json["question"])}


@app.post("/api/other")
@limiter.limit("50 per day")
@limiter.limit("5 per minute")
def other():
    return {"answer": ask("other")}
