"""Helpers shared by the Kong feature modules (annotation access, notes)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gwshift.model import Conversion
from gwshift.notes import Note

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


def seq(value: Any) -> list[Any]:
    """``value`` when it is a list, else an empty one (rendered YAML can hold anything)."""
    return value if isinstance(value, list) else []
