from anthropic import Anthropic

client = Anthropic(api_key='your-anthropic-api-key')
