from openai import OpenAI

client = OpenAI()


def ask(prompt: str) -> str:
    return client.responses.create(model="gpt-4o-mini", input=prompt).output_text
