import os

from fastapi import FastAPI, Request
from pydantic import BaseModel
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from services.store import save

app = FastAPI()
limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)


class Item(BaseModel):
    name: str


@app.post("/items")
@limiter.limit("50/day")
@limiter.limit("5/minute")
def create_item(request: Request, item: Item):
    save(item.name)
    return {"ok": True}


@app.get("/health")
def health():
    return {"ok": True}
