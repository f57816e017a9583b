from flask import Flask, jsonify, request

from services.llm import ask

app = Flask(__name__)


@app.route("/api/summarize", methods=["POST"])
def summarize():
    text = request.get_json()["text"]
    return jsonify(summary=ask(f"Summarize: {text}"))


@app.route("/health")
def health():
    return "ok"
