from agent.llm import llm


def classify(state):
    return {"kind": "billing" if "invoice" in state["question"] else "other"}


def answer(state):
    reply = llm.invoke(f"Answer this {state['kind']} question: {state['question']}")
    return {"answer": reply.content}
