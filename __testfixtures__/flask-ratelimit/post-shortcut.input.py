from flask import Flask, request
from openai import OpenAI

app = Flask(__name__)
client = OpenAI()


@app.post("/api/chat")
def chat():
    completion = client.chat.completions.create(model="gpt-4o-mini", messages=request.json["messages"])
    return {"reply": completion.choices[0].message.content}
