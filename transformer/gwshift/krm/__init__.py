"""KRM Functions Specification (v1) envelope: ResourceList in, ResourceList out.

Used by kustomize exec/container KRM functions and kpt (``kpt fn eval --exec gwshift``,
``kpt fn render``). :func:`resource_list` splices the regular shape kpt and kustomize write
as text (``splice``: untouched items, comments included, are copied byte for byte and never
parsed); any other shape goes through ``roundtrip`` (ruamel through yamlio, so untouched
items keep their comments, key order and quoting). Both share ``results`` (functionConfig
overlay, results, placement of generated objects).

This package imports ``core`` and never ``cli`` (only ``kustomize_legacy``, the legacy exec
plugin's own shell, does).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from gwshift.outcome import Outcome, Summary
from gwshift.settings import Settings


class KrmRun(NamedTuple):
    pieces: Iterable[str]  # consumed once, as written (the splice path slices lazily)
    outcome: Outcome  # text "" (the pieces are the text)
    settings: Settings  # effective: CLI + env + functionConfig (its report, strict ...)


def resource_list(text: str, settings: Settings) -> KrmRun:
    """Output pieces, notes and effective settings for one ResourceList: spliced when
    regular, else round trip."""
    from gwshift.krm import roundtrip, splice

    got = splice.splice(text, settings)
    if got is None:
        got = roundtrip.round_trip(text, settings)
    pieces, notes, effective, summary = got
    return KrmRun(pieces, Outcome("", notes, summary or Summary(target=effective.target)),
                  effective)


def transform_resource_list(text: str, settings: Settings) -> Outcome:
    """The whole output as one Outcome (tests and library use)."""
    run = resource_list(text, settings)
    return run.outcome._replace(text="".join(run.pieces))


def legacy_plugin_main(argv: list[str] | None = None) -> int:
    """Entry point of the kustomize legacy exec plugin (kustomize-plugin/ calls it)."""
    from gwshift.krm.kustomize_legacy import main

    return main(argv)
