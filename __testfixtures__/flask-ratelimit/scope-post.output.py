import os

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from services.store import save

app = Flask(__name__)
limiter = Limiter(
    get_remote_address,
    app=app,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)


@app.route("/items", methods=["POST"])
@limiter.limit("30 per day")
@limiter.limit("3 per minute")
def create_item():
    save(request.json["name"])
    return {"ok": True}
