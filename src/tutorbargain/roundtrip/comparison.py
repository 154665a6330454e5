"""What a comparison found, article by article, and its JSON for ``compare --json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ArticleSummary:
    """What happened to one article (or the opening before the first one)."""

    title: str
    status: str = "unchanged"
    """unchanged, changed, added or removed."""
    unchanged: int = 0
    changed: int = 0
    added: int = 0
    removed: int = 0

    def count(self, kind: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)

    def settle(self) -> None:
        touched = self.changed + self.added + self.removed
        if touched == 0:
            self.status = "unchanged"
        elif self.added and not (self.unchanged or self.changed or self.removed):
            self.status = "added"
        elif self.removed and not (self.unchanged or self.changed or self.added):
            self.status = "removed"
        else:
            self.status = "changed"


@dataclass
class Comparison:
    """A redline's bytes and its summary."""

    data: bytes
    articles: list[ArticleSummary] = field(default_factory=list)
    old_had_changes: bool = False
    new_had_changes: bool = False

    @property
    def identical(self) -> bool:
        return all(article.status == "unchanged" for article in self.articles)

    def as_json(self) -> dict[str, Any]:
        return {
            "schema_version": 1,
            "identical": self.identical,
            "old_had_tracked_changes": self.old_had_changes,
            "new_had_tracked_changes": self.new_had_changes,
            "articles": [
                {
                    "title": a.title,
                    "status": a.status,
                    "paragraphs": {
                        "unchanged": a.unchanged,
                        "changed": a.changed,
                        "added": a.added,
                        "removed": a.removed,
                    },
                }
                for a in self.articles
            ],
        }
