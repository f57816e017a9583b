from flask import Flask, request

from services.llm import ask

app = Flask(__name__)


@app.route('/api/ask', methods=['POST'])
def ask_endpoint():
    return {'answer': ask(request.json['q'])}
