"""Notes are values: a stable code, a severity, the object and the field they concern.

They map one-to-one to KRM ``results`` entries and to stderr lines.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import NamedTuple


class Severity(enum.IntEnum):
    INFO = 0
    WARNING = 1
    ERROR = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class ObjRef(NamedTuple):
    kind: str
    namespace: str | None
    name: str | None
    api_version: str = ""

    def __str__(self) -> str:
        return f"{self.kind}/{self.namespace or '-'}/{self.name or '-'}"


class Note(NamedTuple):
    code: str
    severity: Severity
    message: str
    obj: ObjRef | None = None
    field: str = ""
    doc: int | None = None  # index of the document in the input stream (0-based)

    def line(self) -> str:
        where = str(self.obj) if self.obj else "-"
        doc = f"doc {self.doc}" if self.doc is not None else "doc -"
        field = self.field or "-"
        return f"{self.severity.label}\t{self.code}\t{doc}\t{where}\t{field}\t{self.message}"

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (
            self.doc if self.doc is not None else -1,
            str(self.obj) if self.obj else "",
            self.field,
            self.code,
            self.message,
        )


def error(code: str, message: str, obj: ObjRef | None = None, field: str = "") -> Note:
    return Note(code, Severity.ERROR, message, obj, field)


def warning(code: str, message: str, obj: ObjRef | None = None, field: str = "") -> Note:
    return Note(code, Severity.WARNING, message, obj, field)


def info(code: str, message: str, obj: ObjRef | None = None, field: str = "") -> Note:
    return Note(code, Severity.INFO, message, obj, field)


def max_severity(notes: list[Note] | tuple[Note, ...]) -> Severity | None:
    return max((n.severity for n in notes), default=None)


def exit_code(notes: Iterable[Note], strict: bool = False) -> int:
    """1 when a note is an error (or a warning under ``strict``), else 0."""
    worst = max((n.severity for n in notes), default=Severity.INFO)
    return 1 if worst >= Severity.ERROR or (strict and worst >= Severity.WARNING) else 0
