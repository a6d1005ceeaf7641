"""Identifier masking for the Rasa side; the one implementation lives in suixing/privacy.py (both venvs import it)."""
from suixing.privacy import mask_identifiers, scrub, scrub_text

__all__ = ["mask_identifiers", "scrub", "scrub_text"]
