from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from settings import settings

app = FastAPI()
app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins)
