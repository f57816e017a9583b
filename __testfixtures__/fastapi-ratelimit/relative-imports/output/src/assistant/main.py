from fastapi import FastAPI
from slowapi import _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded

from .rate_limiting import limiter
from .routers import chat, items

app = FastAPI(title="assistant")
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
app.include_router(chat.router)
app.include_router(items.router)


@app.get("/health")
def health():
    return {"ok": True}
