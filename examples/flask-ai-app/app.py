import os
from collections import deque

from flask import Flask, jsonify, request
from openai import OpenAI

app = Flask(__name__)

# Reads OPENAI_API_KEY and, when set, OPENAI_BASE_URL from the environment.
client = OpenAI()
MODEL = os.environ.get("OPENAI_MODEL", "gpt-4o-mini")
MAX_TEXT_CHARS = 20_000

# Kept in memory for the example; a real app would use its database.
notes: deque[str] = deque(maxlen=1000)


@app.get("/health")
def health():
    return {"status": "ok"}


@app.route("/api/summarize", methods=["POST"])
def summarize():
    data = request.get_json(silent=True) or {}
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        return jsonify(error="'text' must be a non-empty string"), 400

    completion = client.chat.completions.create(
        model=MODEL,
        messages=[
            {"role": "system", "content": "Summarize the user's text in two sentences."},
            {"role": "user", "content": text[:MAX_TEXT_CHARS]},
        ],
    )
    return jsonify(summary=completion.choices[0].message.content or "")


@app.post("/api/notes")
def add_note():
    data = request.get_json(silent=True) or {}
    note = data.get("note")
    if not isinstance(note, str) or not note.strip():
        return jsonify(error="'note' must be a non-empty string"), 400
    notes.append(note[:2000])
    return jsonify(stored=len(notes))
