"""Rate limits for the endpoints that call a paid AI API (added by ai-secure-codemods).

One Limiter for the whole app: routers import `limiter` from here, which avoids a circular
import with the module that creates the app. Requests are counted per client address. Counts
live in memory, per process; set RATE_LIMIT_STORAGE_URI (for example redis://localhost:6379)
to share them between workers and restarts.
"""
import os

from slowapi import Limiter
from slowapi.util import get_remote_address

limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
