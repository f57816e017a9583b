from flask import Blueprint, request

from application.llm import ask

bp = Blueprint("api", __name__)


@bp.post("/api/answer")
def answer():
    return {"answer": ask(request.json["q"])}
