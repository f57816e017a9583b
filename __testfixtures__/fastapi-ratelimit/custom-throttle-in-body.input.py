from fastapi import FastAPI, HTTPException, Request

from services.llm import ask

app = FastAPI()
hits: dict[str, int] = {}


def check_rate_limit(client: str) -> None:
    hits[client] = hits.get(client, 0) + 1
    if hits[client] > 5:
        raise HTTPException(status_code=429)


@app.post("/api/ask")
async def ask_endpoint(request: Request, question: str):
    check_rate_limit(request.client.host)
    return {"answer": ask(question)}
