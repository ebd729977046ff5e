"""What a run produced, as values: the output text, the notes, and a summary that reports
and the verifier read instead of re-deriving it from notes."""

from __future__ import annotations

from typing import Literal, NamedTuple

from gwshift.notes import Note, ObjRef, exit_code

# converted: replaced by generated objects; kept: left as it is (reason: the error code);
# merged: folded into another source's routes (a canary); not-selected: another class;
# already-converted: its generated objects are already in the stream (re-run).
SourceDisposition = Literal["converted", "kept", "merged", "not-selected", "already-converted"]
AnnotationStatus = Literal["converted", "approximated", "reported", "blocked", "ignored"]


class SourceSummary(NamedTuple):
    ref: ObjRef
    doc: int
    disposition: SourceDisposition
    reason: str | None = None  # note code that kept it
    merged_into: ObjRef | None = None
    generated: tuple[ObjRef, ...] = ()  # objects written for it (Gateways go to the owner)
    dialect: str | None = None


class AnnotationSummary(NamedTuple):
    source: ObjRef
    key: str
    status: AnnotationStatus
    code: str | None = None  # the note that says how (None: converted silently)


class Summary(NamedTuple):
    sources: tuple[SourceSummary, ...] = ()
    annotations: tuple[AnnotationSummary, ...] = ()
    target: str = "standard"


class Outcome(NamedTuple):
    text: str
    notes: tuple[Note, ...]
    summary: Summary = Summary()

    def exit_code(self, strict: bool = False) -> int:
        return exit_code(self.notes, strict)
