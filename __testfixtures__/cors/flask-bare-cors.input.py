from flask import Flask
from flask_cors import CORS

app = Flask(__name__)
CORS(app)


@app.post("/api/ask")
def ask():
    return {"ok": True}
