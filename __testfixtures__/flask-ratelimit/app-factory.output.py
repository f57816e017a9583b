import os

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from services.llm import ask

limiter = Limiter(
    get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)


def create_app() -> Flask:
    app = Flask(__name__)
    limiter.init_app(app)

    @app.route("/api/ask", methods=["GET", "POST"])
    @limiter.limit("50 per day")
    @limiter.limit("5 per minute")
    def ask_endpoint():
        return {"answer": ask(request.values["q"])}

    return app
