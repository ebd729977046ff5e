"""The input envelope: a plain stream of documents, or one KRM ResourceList.

``run(text, settings)`` detects the envelope (``--mode`` overrides), dispatches to the
stream core or the KRM package, and returns the output pieces with the :class:`Outcome` and
the effective settings (a KRM functionConfig may have changed them, e.g. its ``report``).

Import direction: cli → envelope → {core, krm}; krm → core; core never imports krm.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal, NamedTuple

from gwshift import stream
from gwshift.outcome import Outcome, Summary
from gwshift.settings import Settings

Envelope = Literal["stream", "krm"]
_RESOURCE_LIST = re.compile(r"^kind:[ \t]*[\"']?ResourceList[\"']?[ \t]*\r?$", re.MULTILINE)


class Run(NamedTuple):
    pieces: Iterator[str]  # the output, written one piece at a time
    outcome: Outcome  # text is "" (the pieces are the text): notes and summary
    settings: Settings  # effective settings (CLI + env + functionConfig)


def is_resource_list(text: str) -> bool:
    """One document whose top-level kind is ResourceList (a cheap regex guards the split)."""
    if "ResourceList" not in text or not _RESOURCE_LIST.search(text):
        return False
    chunks = [c for c in stream.split(text) if c.has_content]
    return len(chunks) == 1 and stream.sniff(chunks[0]).kind == "ResourceList"


def detect(text: str, settings: Settings) -> Envelope:
    if settings.mode == "krm" or (settings.mode == "auto" and is_resource_list(text)):
        return "krm"
    return "stream"


def run(text: str, settings: Settings) -> Run:
    if detect(text, settings) == "krm":
        from gwshift import krm

        result = krm.resource_list(text, settings)
        return Run(iter(result.pieces), result.outcome, result.settings)
    from gwshift import core  # looked up at call time: tests replace core.transform_pieces

    got = core.transform_pieces(text, settings)
    pieces, notes = got[0], got[1]
    # today (pieces, notes); with the pipeline's summary (pieces, notes, summary)
    summary = got[2] if len(got) > 2 else Summary(target=settings.target)
    return Run(pieces, Outcome("", tuple(notes), summary), settings)
