import os

from openai import OpenAI

DEFAULT_MODEL = "gpt-4o-mini"

_client: OpenAI | None = None


def _get_client() -> OpenAI:
    # Created on first use so the app starts without a key. The SDK reads OPENAI_API_KEY and,
    # when set, OPENAI_BASE_URL from the environment.
    global _client
    if _client is None:
        _client = OpenAI()
    return _client


def complete_chat(messages: list[dict[str, str]]) -> str:
    completion = _get_client().chat.completions.create(
        model=os.environ.get("OPENAI_MODEL", DEFAULT_MODEL),
        messages=messages,
    )
    return completion.choices[0].message.content or ""
