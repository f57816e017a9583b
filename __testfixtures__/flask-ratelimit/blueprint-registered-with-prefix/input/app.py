from flask import Flask

from views import bp as ai_blueprint

app = Flask(__name__)
app.register_blueprint(ai_blueprint, url_prefix="/api/v2")
