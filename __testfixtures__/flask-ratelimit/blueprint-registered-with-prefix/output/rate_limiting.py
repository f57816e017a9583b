"""Rate limits for the endpoints that call a paid AI API (added by ai-secure-codemods).

One Limiter for the whole app: blueprints import `limiter` from here, and the module that
creates the app calls `limiter.init_app(app)`. Requests are counted per client address. Counts
live in memory, per process; set RATE_LIMIT_STORAGE_URI (for example redis://localhost:6379)
to share them between workers and restarts.
"""
import os

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(
    get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
