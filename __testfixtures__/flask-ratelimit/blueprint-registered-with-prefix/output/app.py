from flask import Flask

from rate_limiting import limiter
from views import bp as ai_blueprint

app = Flask(__name__)
limiter.init_app(app)
app.register_blueprint(ai_blueprint, url_prefix="/api/v2")
