from flask import Blueprint, request

from llm import ask
from rate_limiting import limiter

bp = Blueprint("ai", __name__, url_prefix="/api")


@bp.route("/ask", methods=["POST"])
@limiter.limit("50 per day")
@limiter.limit("5 per minute")
def ask_endpoint():
    return {"answer": ask(request.json["question"])}
