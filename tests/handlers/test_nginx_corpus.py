"""What became of every ingress-nginx annotation in the real corpus.

Each ``nginx.ingress.kubernetes.io/*`` annotation of an Ingress the nginx dialect owns is
put in one bucket, from the notes gwshift gave for that annotation's field:

- converted: no note, or info notes only (the conversion is exact);
- approximated: a warning that is not a "not converted" report;
- reported: a ``*-not-converted`` or ``nginx/unknown-annotation`` note (nothing emitted);
- blocked: an error note on the annotation (security control or unconvertible value:
  the Ingress is kept, fail closed);
- kept: no error of its own, but its Ingress was kept for another annotation's error.

The test prints the figures quoted in the closing notes and checks the buckets add up.
"""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from gwshift import core, plan, stream
from gwshift.handlers import select_dialect
from gwshift.handlers.nginx import TABLE
from gwshift.inventory import from_chunk
from gwshift.notes import Note, Severity
from gwshift.settings import Settings

PREFIX = "nginx.ingress.kubernetes.io/"
BUCKETS = ("converted", "approximated", "reported", "blocked", "kept")


def _bucket(notes: list[Note], ingress_kept: bool) -> str:
    if any(n.severity is Severity.ERROR for n in notes):
        return "blocked"
    if ingress_kept:
        return "kept"
    if any(n.code.endswith("-not-converted") or n.code == "nginx/unknown-annotation"
           for n in notes):
        return "reported"
    if any(n.severity is Severity.WARNING for n in notes):
        return "approximated"
    return "converted"


def _account(text: str) -> collections.Counter[tuple[str, str]]:
    """(annotation name, bucket) for every nginx annotation of nginx-owned Ingresses."""
    settings = Settings()
    items = [from_chunk(c) for c in stream.split(text)]
    scratch: list[Note] = []
    ctx = plan._context(items, settings)
    convs = plan._select(plan._candidates(items, scratch), ctx, scratch)
    out = core.transform(text, settings)
    by_field: dict[tuple[str, str], list[Note]] = collections.defaultdict(list)
    blocked_objects = set()
    for note in out.notes:
        by_field[(str(note.obj), note.field)].append(note)
        if note.severity is Severity.ERROR:
            blocked_objects.add(str(note.obj))
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    for conv in convs.values():
        if select_dialect(conv, ctx) != "nginx":
            continue
        ref = str(conv.source.ref)
        for key, _ in conv.source.annotations:
            if not key.startswith(PREFIX):
                continue
            notes = by_field.get((ref, f"metadata.annotations[{key}]"), [])
            counts[(key[len(PREFIX):], _bucket(notes, ref in blocked_objects))] += 1
    return counts


def test_corpus_nginx_annotation_accounting(capsys: pytest.CaptureFixture[str],
                                            corpus_files: list[Path]) -> None:
    total: collections.Counter[tuple[str, str]] = collections.Counter()
    for path in corpus_files:
        total.update(_account(path.read_text()))
    per_bucket = collections.Counter({b: 0 for b in BUCKETS})
    for (_, bucket), n in total.items():
        per_bucket[bucket] += n
    names = {name for name, _ in total}
    with capsys.disabled():
        print(f"\nnginx annotations on nginx-class Ingresses in the corpus: "
              f"{sum(per_bucket.values())} uses of {len(names)} names")
        print("  " + ", ".join(f"{b} {per_bucket[b]}" for b in BUCKETS))
        for name in sorted(names):
            row = ", ".join(f"{b} {total[(name, b)]}" for b in BUCKETS if total[(name, b)])
            print(f"  {name}: {row}")
    # hundreds in the full corpus, dozens in the vendored subset
    assert sum(per_bucket.values()) > (100 if len(corpus_files) > 100 else 30)
    assert per_bucket["converted"] > 0 and per_bucket["blocked"] > 0
    unknown = names - set(TABLE)
    # Keys outside the catalogue are typos or controller forks; each one is reported.
    assert all(total[(n, "reported")] + total[(n, "blocked")] + total[(n, "kept")]
               == sum(total[(n, b)] for b in BUCKETS) for n in unknown)
