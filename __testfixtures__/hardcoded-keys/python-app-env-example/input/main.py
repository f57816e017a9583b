from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI(api_key="sk-proj-FAKEkeyFORtestsONLY6666666666666666666666")


@app.post("/chat")
def chat(prompt: str):
    return client.responses.create(model="gpt-4o-mini", input=prompt).output_text
