from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from openai import OpenAI
from pydantic import BaseModel

app = FastAPI(title="Recipe assistant")
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)

client = OpenAI(api_key="sk-proj-FAKEkeyFORgoldenTESTSonly7777777777777777777777")


class Ingredients(BaseModel):
    items: list[str]


@app.get("/health")
def health():
    return {"ok": True}


@app.post("/recipes")
def suggest_recipe(body: Ingredients):
    prompt = "Suggest a recipe with: " + ", ".join(body.items)
    response = client.responses.create(model="gpt-4o-mini", input=prompt)
    return {"recipe": response.output_text}
