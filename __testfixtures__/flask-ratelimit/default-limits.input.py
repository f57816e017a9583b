from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from services.llm import ask

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app, default_limits=["200 per day", "50 per hour"])


@app.post("/api/ask")
def ask_endpoint():
    return {"answer": ask(request.json["question"])}
