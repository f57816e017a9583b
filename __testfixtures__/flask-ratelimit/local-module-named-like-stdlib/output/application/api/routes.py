from flask import Blueprint, request

from application.llm import ask
from application.rate_limiting import limiter

bp = Blueprint("api", __name__)


@bp.post("/api/answer")
@limiter.limit("50 per day")
@limiter.limit("5 per minute")
def answer():
    return {"answer": ask(request.json["q"])}
