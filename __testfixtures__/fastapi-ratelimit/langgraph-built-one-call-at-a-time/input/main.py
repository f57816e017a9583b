from fastapi import FastAPI

from agent.graph import support_graph

app = FastAPI()


@app.post("/api/support")
async def support(question: str):
    state = await support_graph.ainvoke({"question": question})
    return {"answer": state["answer"]}


@app.post("/api/feedback")
async def feedback(text: str):
    return {"saved": len(text)}
