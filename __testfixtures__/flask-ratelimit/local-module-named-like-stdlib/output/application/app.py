import logging

from flask import Flask

from application.api.routes import bp
from application.rate_limiting import limiter

logging.basicConfig()
app = Flask(__name__)
limiter.init_app(app)
app.register_blueprint(bp)
