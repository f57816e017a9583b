from flask import Flask
from flask_cors import CORS

from ai import bp

app = Flask(__name__)
CORS(app)
app.register_blueprint(bp)
