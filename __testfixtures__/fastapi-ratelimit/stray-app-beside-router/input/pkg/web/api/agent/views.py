from fastapi import APIRouter

from pkg.llm import ask

router = APIRouter(prefix="/agent")


@router.post("/start")
def start(goal: str):
    return {"plan": ask(goal)}
