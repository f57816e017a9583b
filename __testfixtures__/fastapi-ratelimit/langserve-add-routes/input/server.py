from fastapi import FastAPI
from langchain_openai import ChatOpenAI
from langserve import add_routes

app = FastAPI()

add_routes(app, ChatOpenAI(model="gpt-4o-mini"), path="/openai")
