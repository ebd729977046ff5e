"""One annotation's entry in a dialect table: the data every "supported" list, docs page,
report row and ``explain`` text derives from (never prose parsed for meaning)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from gwshift.context import Context
    from gwshift.model import Conversion

# How far Gateway API itself goes (ingress-nginx mapping catalogue): standard channel,
# experimental channel, implementation-specific only, no equivalent at all.
Level = Literal["STD", "EXP", "IMPL", "NONE"]
# What gwshift does with the annotation:
#   converted     portable Gateway API output, same behaviour
#   approximated  portable output, a note says what differs
#   reported      nothing emitted, a warning/info note says so
#   blocked       fail closed: the source is kept with an error note
#   intent        recorded as a policy intent (gwshift.intents): the target decides
#                 (converted when it can express it, else fail closed / warning)
Disposition = Literal["converted", "approximated", "reported", "blocked", "intent"]
DISPOSITIONS: tuple[Disposition, ...] = (
    "converted", "approximated", "reported", "blocked", "intent")

Apply = Callable[[str, "Conversion", "Context"], None]


class Handler(NamedTuple):
    level: Level
    disposition: Disposition
    apply: Apply
    emits: str  # what gwshift writes for it (docs)
    codes: tuple[str, ...] = ()  # note codes it may give
    caveat: str = ""
    intent: type | None = None  # with disposition "intent": the intent type it records

    @property
    def cls(self) -> Level:
        """Old name of ``level`` (scripts/gen_annotation_docs.py reads it until replaced)."""
        return self.level


def supported(table: dict[str, Handler]) -> list[str]:
    """Annotations that convert (fully, approximately, or through a target's intent)."""
    return [k for k, h in table.items() if h.disposition in ("converted", "approximated", "intent")]
