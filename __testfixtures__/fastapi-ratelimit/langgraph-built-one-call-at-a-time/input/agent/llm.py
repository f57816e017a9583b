from langchain_openai import ChatOpenAI

try:
    llm = ChatOpenAI(model="gpt-4o-mini", timeout=20)
except Exception as error:  # no key in CI
    print(error)
    llm = None
