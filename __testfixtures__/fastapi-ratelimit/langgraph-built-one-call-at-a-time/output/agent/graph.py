from langgraph.graph import END, START, StateGraph

from agent.steps import answer, classify

workflow = StateGraph(dict)
workflow.add_node("classify", classify)
workflow.add_node("answer", answer)
workflow.add_edge(START, "classify")
workflow.add_edge("classify", "answer")
workflow.add_edge("answer", END)

support_graph = workflow.compile()
