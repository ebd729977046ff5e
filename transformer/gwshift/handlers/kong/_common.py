"""Helpers shared by the Kong feature modules (annotation access, notes)."""

from __future__ import annotations

from collections.abc import Callable

from gwshift.handlers._values import seq, show  # noqa: F401  (re-exported for the dialect)
from gwshift.model import Conversion
from gwshift.notes import Note
from gwshift.parse import metadata_problem  # noqa: F401  (re-exported for the dialect)

PREFIX = "konghq.com/"
GROUP = "configuration.konghq.com"


def key(name: str) -> str:
    return PREFIX + name


def field(name: str) -> str:
    return f"metadata.annotations[{PREFIX}{name}]"


def ann(conv: Conversion, name: str) -> str | None:
    return conv.source.annotation(PREFIX + name)


def say(conv: Conversion, name: str, make: Callable[..., Note], code: str, message: str) -> None:
    conv.note(make(code, message, field=field(name)))
