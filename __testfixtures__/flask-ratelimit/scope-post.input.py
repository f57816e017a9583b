from flask import Flask, request

from services.store import save

app = Flask(__name__)


@app.route("/items", methods=["POST"])
def create_item():
    save(request.json["name"])
    return {"ok": True}
