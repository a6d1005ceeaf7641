"""Input channels of the assistant. Every channel masks identifiers with
`bot.privacy.mask_identifiers` before a message reaches NLU, the tracker store or a log."""
