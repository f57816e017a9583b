from flask import Flask, request
from flask.views import MethodView
from flask_restx import Api, Namespace, Resource

from services.llm import ask
from services.store import save

app = Flask(__name__)
api = Api(app)
ns = Namespace("ai", path="/")
api.add_namespace(ns)


@ns.route("/api/answer")
class Answer(Resource):
    def post(self):
        return {"answer": ask(request.json["q"])}


@ns.route("/api/items")
class Items(Resource):
    def post(self):
        save(request.json["name"])
        return {"ok": True}


class Summary(MethodView):
    def post(self):
        return {"summary": ask(request.json["text"])}


def health():
    return "ok"


app.add_url_rule("/api/summary", view_func=Summary.as_view("summary"))
app.add_url_rule("/health", "health", health)
