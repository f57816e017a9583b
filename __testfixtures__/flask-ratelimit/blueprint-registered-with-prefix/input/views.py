from flask import Blueprint, request

from llm import ask

bp = Blueprint("ai", __name__)


@bp.post("/ask")
def ask_view():
    return {"answer": ask(request.json["q"])}
