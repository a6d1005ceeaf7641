"""Trainers' materials from the knowledge base: charts of the real figures, printable handouts, quizzes and worked
stories (docs/trainer.md).

    python -m knowledge.trainer charts  [--lang zh|en] [--out DIR]
    python -m knowledge.trainer handout ID [ID ...] [--set migrant-basics] [--lang zh|en|both] [--out FILE.html]
    python -m knowledge.trainer quiz    [--lang zh|en] [--count N] [--seed S] [--format text|json|html]
    python -m knowledge.trainer story   mr-x [--lang zh|en] [--trace]

Content comes from the built knowledge base (`knowledge.KnowledgeBase`, var/knowledge.db); the frame texts
(headings, labels, prompts) from messages.yml; chart choices from charts.yml; handout sets from sets.yml; stories
from stories.yml. Only `story` imports `rules_engine`, lazily.
"""
