from flask import Flask, request

from services.llm import ask

app = Flask(__name__)


@app.route("/api/define")
def define():
    return {"definition": ask(f"Define {request.args['word']}")}
