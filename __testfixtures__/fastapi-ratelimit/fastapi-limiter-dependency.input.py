from fastapi import Depends, FastAPI
from fastapi_limiter.depends import RateLimiter

from services.llm import ask

app = FastAPI()


@app.post("/api/ask", dependencies=[Depends(RateLimiter(times=5, seconds=60))])
async def ask_endpoint(question: str):
    return {"answer": ask(question)}
