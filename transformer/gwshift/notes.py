"""Notes are values: a stable code, a severity, the object and the field they concern.

They map one-to-one to KRM ``results`` entries and to stderr lines.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable
from typing import NamedTuple

# Compiled (and cached by re) on first use: a run without notes never pays for it.
_CONTROL = "[\x00-\x1f\x7f-\x9f\u2028\u2029]"
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(m: re.Match[str]) -> str:
    c = m.group(0)
    return _ESCAPES.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")


def escape(text: str) -> str:
    """Control characters (and U+2028/9) as visible escapes; nothing else changes."""
    return re.sub(_CONTROL, _escape_char, text) if re.search(_CONTROL, text) else text


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
        """The stderr line (``gwshift.report.note_line``): tab-separated fields, control
        characters escaped in every field so a hostile value cannot forge a line or column."""
        where = escape(str(self.obj)) if self.obj else "-"
        doc = f"doc {self.doc}" if self.doc is not None else "doc -"
        field = escape(self.field) if self.field else "-"
        return (f"{self.severity.label}\t{escape(self.code)}\t{doc}\t{where}\t{field}\t"
                f"{escape(self.message)}")

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


# Errors that do not keep a source unchanged: --allow-kept never excuses them.
NOT_KEEPING_PREFIXES = ("config/",)


def only_kept(n: Note, kept_docs: Collection[int] | None) -> bool:
    """Whether error ``n`` only kept a source (or document) unchanged in the output.

    ``kept_docs``: the documents of sources the summary says were kept; None when the run has
    no summary (every error of today's pipeline keeps its source, except config/ errors).
    """
    if n.code.startswith(NOT_KEEPING_PREFIXES):
        return False
    if kept_docs is None or n.code == "yaml/invalid":
        return True
    return n.doc is not None and n.doc in kept_docs


def exit_code(notes: Iterable[Note], strict: bool = False, allow_kept: bool = False,
              kept_docs: Collection[int] | None = None) -> int:
    """The exit code of a run, decided here only.

    1 when a note is an error (or a warning under ``strict``), else 0. With ``allow_kept``
    an error that only kept a source unchanged counts as a warning: the deploy is then
    exactly as safe as before for that source.
    """
    worst = Severity.INFO
    for n in notes:
        severity = n.severity
        if severity >= Severity.ERROR and allow_kept and only_kept(n, kept_docs):
            severity = Severity.WARNING
        worst = max(worst, severity)
    return 1 if worst >= Severity.ERROR or (strict and worst >= Severity.WARNING) else 0
