"""Rasa side of the Suixing (随行) assistant: custom NLU components, input channels,
the masking tracker store and the privacy helpers. Runs in `.venv/rasa` only."""
