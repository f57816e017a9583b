import anthropic
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()
claude = anthropic.Anthropic()


class Question(BaseModel):
    text: str


@app.post("/claude")
def ask_claude(question: Question):
    message = claude.messages.create(
        model="claude-3-5-haiku-latest",
        max_tokens=256,
        messages=[{"role": "user", "content": question.text}],
    )
    return {"text": message.content[0].text}
