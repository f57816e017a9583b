from fastapi import FastAPI
from openai import OpenAI

app = FastAPI()
client = OpenAI(api_key="sk-proj-FAKEkeyFORtestsONLY5555555555555555555555")
