from collections import deque

from fastapi import APIRouter
from pydantic import BaseModel, Field

router = APIRouter(tags=["feedback"])


class FeedbackIn(BaseModel):
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=2000)


# Kept in memory for the example; a real app would use its database.
_feedback: deque[FeedbackIn] = deque(maxlen=1000)


@router.post("/api/feedback")
def add_feedback(payload: FeedbackIn) -> dict[str, int]:
    _feedback.append(payload)
    return {"stored": len(_feedback)}
