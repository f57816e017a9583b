from flask import Flask, request

from services.llm import ask

app = Flask(__name__)


@app.route(
    "/api/translate",
    methods=["POST"],
    endpoint="translate",
)
@app.route("/api/translate/<lang>", methods=["POST"])
def translate(lang="en"):
    return {"text": ask(f"Translate to {lang}: {request.json['text']}")}
