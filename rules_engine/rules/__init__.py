"""The rules: small named functions, one concept each. Each reads its numbers through a trace step
(``step.param``), so every number the law sets comes from ``rules_engine/parameters/`` and is cited."""
