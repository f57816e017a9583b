from openai import AsyncOpenAI
from quart import Quart, request

app = Quart(__name__)
client = AsyncOpenAI()


@app.post("/chat")
async def chat():
    body = await request.get_json()
    response = await client.responses.create(model="gpt-4o-mini", input=body["text"])
    return {"text": response.output_text}
