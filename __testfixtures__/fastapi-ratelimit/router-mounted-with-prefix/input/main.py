from fastapi import FastAPI

import chat

app = FastAPI()
app.include_router(chat.router, prefix="/v1")
