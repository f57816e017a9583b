import os

from fastapi import FastAPI, Request
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from agent.graph import support_graph

app = FastAPI()
limiter = Limiter(
    key_func=get_remote_address,
    storage_uri=os.environ.get("RATE_LIMIT_STORAGE_URI") or "memory://",
)
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)


@app.post("/api/support")
@limiter.limit("50/day")
@limiter.limit("5/minute")
async def support(request: Request, question: str):
    state = await support_graph.ainvoke({"question": question})
    return {"answer": state["answer"]}


@app.post("/api/feedback")
async def feedback(text: str):
    return {"saved": len(text)}
