import litellm
from fastapi import FastAPI

app = FastAPI()


@app.post("/complete")
async def complete(prompt: str):
    response = await litellm.acompletion(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
    return response.choices[0].message.content
