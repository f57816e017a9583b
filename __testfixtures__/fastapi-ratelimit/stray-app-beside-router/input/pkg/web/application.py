from fastapi import FastAPI

from pkg.web.api.agent.views import router as agent_router


def get_app() -> FastAPI:
    app = FastAPI()
    app.include_router(agent_router)
    return app
