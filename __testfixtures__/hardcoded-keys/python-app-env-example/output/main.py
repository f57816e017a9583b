import os

from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])


@app.post("/chat")
def chat(prompt: str):
    return client.responses.create(model="gpt-4o-mini", input=prompt).output_text
