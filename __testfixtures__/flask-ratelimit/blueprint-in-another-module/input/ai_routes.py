from flask import Blueprint, request

from llm import ask

bp = Blueprint("ai", __name__, url_prefix="/api")


@bp.route("/ask", methods=["POST"])
def ask_endpoint():
    return {"answer": ask(request.json["question"])}
