"""Gemini helper."""
from __future__ import annotations

import google.generativeai as genai

genai.configure(api_key="AIzaSyFAKEkeyFORtestsONLY55555555555555")
model = genai.GenerativeModel("gemini-1.5-flash")
