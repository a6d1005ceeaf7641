"""Suixing knowledge base: curated, cited, bilingual entries in SQLite (see docs/knowledge.md).

    from knowledge import KnowledgeBase
    kb = KnowledgeBase()                  # var/knowledge.db, built by `python -m knowledge build`
    kb.search("我想退保", lang="zh")
"""
from .search import Entry, Hit, KnowledgeBase, KnowledgeBaseMissing, SourceInfo, Step

__all__ = ["KnowledgeBase", "Hit", "Entry", "Step", "SourceInfo", "KnowledgeBaseMissing"]
