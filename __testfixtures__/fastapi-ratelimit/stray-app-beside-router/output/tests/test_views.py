from fastapi import FastAPI

from pkg.web.api.agent.views import router

app = FastAPI()
app.include_router(router)


@app.post("/probe")
def probe():
    return {}
