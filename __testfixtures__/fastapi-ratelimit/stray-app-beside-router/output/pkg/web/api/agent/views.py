from fastapi import APIRouter, Request

from pkg.llm import ask
from pkg.web.rate_limiting import limiter

router = APIRouter(prefix="/agent")


@router.post("/start")
@limiter.limit("50/day")
@limiter.limit("5/minute")
def start(request: Request, goal: str):
    return {"plan": ask(goal)}
