from flask import Flask, request

from llm import ask

app = Flask(__name__)


@app.post("/api/ask")
def ask_endpoint():
    return {"answer": ask(request.json["q"])}
