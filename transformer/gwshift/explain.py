"""``gwshift explain CODE``: what a note code means, why it happens, what to do.

The text comes from the catalog (gwshift.catalog); the annotations that can give the code
come from the dialect tables (``Handler.codes``), so nothing is kept twice.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from gwshift.catalog import DOCS, ENTRIES, Entry

USAGE = "usage: gwshift explain CODE   (e.g. gwshift explain nginx/auth-basic; --list: all codes)"


def annotations_for(code: str) -> list[str]:
    """``prefix/key`` of every dialect annotation whose handler may give ``code``."""
    from gwshift.handlers import DIALECTS, load, prefixes_of
    from gwshift.settings import Settings

    out: list[str] = []
    for name, entry in DIALECTS.items():
        prefixes = prefixes_of(entry, Settings())
        prefix = prefixes[0].rstrip("/") if prefixes else name
        for key, handler in load(name).table.items():
            if code in getattr(handler, "codes", ()):
                out.append(f"{prefix}/{key}")
    return sorted(out)


def render(code: str, entry: Entry) -> str:
    lines = [code, "", f"What: {entry.meaning}", f"Why:  {entry.why}", f"Do:   {entry.fix}"]
    if entry.flags:
        lines.append(f"Options: {', '.join(entry.flags)} (gwshift --help, docs/options.md)")
    anns = annotations_for(code)
    if anns:
        lines.append(f"Annotations: {', '.join(anns)}")
    if entry.doc:
        lines.append(f"Docs: {DOCS}{entry.doc}")
    return "\n".join(lines) + "\n"


def markdown() -> str:
    """``docs/note-codes.md``, generated from the catalog."""
    out = ["# Note codes", "",
           ("<!-- generated from gwshift.catalog by scripts/gen_note_codes.py "
           "(tests/test_explain.py checks it); do not edit -->"), "",
           ("Every note gwshift writes has a stable code. `gwshift explain CODE` prints the "
           "same text."), "",
           "| code | what | why | what to do |", "|---|---|---|---|"]
    for code in sorted(ENTRIES):
        e = ENTRIES[code]
        cells = [f"`{code}`", e.meaning, e.why, e.fix + (
            f" Options: {', '.join(f'`{f}`' for f in e.flags)}." if e.flags else "")]
        out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells)
                   + " |")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str]) -> int:
    from gwshift.stdio import write_stdout  # a closed or full stdout: one line, exit 1

    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        if argv and argv[0] in ("-h", "--help"):
            write_stdout(USAGE + "\n")
            return 0
        sys.stderr.write(f"gwshift: explain needs exactly one note code; {USAGE}\n")
        return 2
    code = argv[0]
    if code == "--list":
        write_stdout("".join(f"{c}\n" for c in sorted(ENTRIES)))
        return 0
    entry = ENTRIES.get(code)
    if entry is None:
        shown = code.encode("unicode_escape").decode("ascii")[:80]
        sys.stderr.write(f"gwshift: explain: unknown note code {shown!r}; "
                         "'gwshift explain --list' lists every code\n")
        return 2
    write_stdout(render(code, entry))
    return 0
