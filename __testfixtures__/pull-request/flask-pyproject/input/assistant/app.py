import anthropic
from flask import Flask, jsonify, request
from flask_cors import CORS

app = Flask(__name__)
CORS(app)
claude = anthropic.Anthropic()


@app.post("/ask")
def ask():
    question = request.get_json()["question"]
    message = claude.messages.create(
        model="claude-haiku-4-5",
        max_tokens=512,
        messages=[{"role": "user", "content": question}],
    )
    return jsonify(answer=message.content[0].text)
