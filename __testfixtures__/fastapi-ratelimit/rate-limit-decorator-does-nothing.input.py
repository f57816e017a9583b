import functools

from fastapi import FastAPI

from services.llm import ask

app = FastAPI()


def rate_limit(calls: int):
    """Placeholder: to be wired to Redis later."""

    def wrap(fn):
        @functools.wraps(fn)
        async def inner(*args, **kwargs):
            return await fn(*args, **kwargs)

        return inner

    return wrap


@app.post("/api/ask")
@rate_limit(calls=5)
async def ask_endpoint(question: str):
    return {"answer": ask(question)}
