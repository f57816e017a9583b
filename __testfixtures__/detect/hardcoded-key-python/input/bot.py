from openai import OpenAI

client = OpenAI(api_key="sk-proj-FAKEkeyFORtestsONLY0000000000000000000000000000")


def reply(text: str) -> str:
    return client.responses.create(model="gpt-4o-mini", input=text).output_text
