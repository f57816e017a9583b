import anthropic

client = anthropic.AsyncAnthropic()


async def complete(text: str) -> str:
    message = await client.messages.create(model="claude-3-5-haiku-latest", max_tokens=256, messages=[{"role": "user", "content": text}])
    return message.content[0].text
