from flask import Flask

from ai_routes import bp
from rate_limiting import limiter


def create_app():
    app = Flask(__name__)
    limiter.init_app(app)
    app.register_blueprint(bp)
    return app
