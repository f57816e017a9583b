from fastapi import FastAPI
from pydantic import BaseModel

from services.store import save

app = FastAPI()


class Item(BaseModel):
    name: str


@app.post("/items")
def create_item(item: Item):
    save(item.name)
    return {"ok": True}


@app.get("/health")
def health():
    return {"ok": True}
