from fastapi import FastAPI
from fastapi.responses import StreamingResponse

from services.llm import ask
from streaming import throttle

app = FastAPI()


@app.post("/api/story")
async def story(prompt: str):
    def chunks():
        for word in ask(prompt).split():
            throttle(0.02)  # paces the words for the typing effect
            yield word + " "

    throttle(0)
    return StreamingResponse(chunks())
