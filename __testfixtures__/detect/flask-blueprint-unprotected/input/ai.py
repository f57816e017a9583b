from flask import Blueprint, request
from google import genai

bp = Blueprint("ai", __name__, url_prefix="/ai")
client = genai.Client()


@bp.route("/ask", methods=["POST"])
def ask():
    response = client.models.generate_content(model="gemini-2.0-flash", contents=request.json["q"])
    return {"text": response.text}
