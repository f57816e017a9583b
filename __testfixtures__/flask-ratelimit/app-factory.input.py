from flask import Flask, request

from services.llm import ask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.route("/api/ask", methods=["GET", "POST"])
    def ask_endpoint():
        return {"answer": ask(request.values["q"])}

    return app
