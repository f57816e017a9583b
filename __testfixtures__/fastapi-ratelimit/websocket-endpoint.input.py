from fastapi import FastAPI, WebSocket

from services.llm import ask

app = FastAPI()


@app.websocket("/ws/chat")
async def chat_socket(websocket: WebSocket):
    await websocket.accept()
    while True:
        text = await websocket.receive_text()
        await websocket.send_text(ask(text))
