import logging

from flask import Flask

from application.api.routes import bp

logging.basicConfig()
app = Flask(__name__)
app.register_blueprint(bp)
