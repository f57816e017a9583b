from fastapi import APIRouter

router = APIRouter()
ITEMS: list[str] = []


@router.post("/items")
def add_item(name: str):
    ITEMS.append(name)
    return {"count": len(ITEMS)}
