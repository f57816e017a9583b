import os

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from openai import OpenAI

app = Flask(__name__)
limiter = Limiter(
    get_remote_address,
    app=app,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
client = OpenAI()


@app.post("/api/chat")
@limiter.limit("50 per day")
@limiter.limit("5 per minute")
def chat():
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=request.json["messages"])
    return {"reply": completion.choices[0].message.content}
