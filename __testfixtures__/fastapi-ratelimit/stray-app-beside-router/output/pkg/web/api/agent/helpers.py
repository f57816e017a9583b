from fastapi import FastAPI

# A scratch app for local experiments; the real one is made in pkg/web/application.py.
app = FastAPI()
