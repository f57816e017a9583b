from flask import Blueprint, request

from llm import ask
from rate_limiting import limiter

bp = Blueprint("ai", __name__)


@bp.post("/ask")
@limiter.limit("50 per day")
@limiter.limit("5 per minute")
def ask_view():
    return {"answer": ask(request.json["q"])}
