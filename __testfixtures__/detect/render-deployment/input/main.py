import os

from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


@app.get("/api/haiku")
def haiku(topic: str):
    return {"text": client.responses.create(model="gpt-4o-mini", input=f"A haiku about {topic}").output_text}
