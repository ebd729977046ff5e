"""Command line shell: argv/env → Settings, files/stdin → envelope.run → stdout, notes →
stderr/report, exit code.

Subcommands (``validate``, ``verify``, ``explain``) are dispatched before anything else is
imported. The default path imports no argparse and no json: flags are parsed by hand from
the OPTIONS table (settings.parse_argv).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from gwshift.errors import REPORT_BUG, FatalError
from gwshift.settings import Args, Settings, help_text, parse_argv, settings_from
from gwshift.stdio import silence_stdout as _silence_stdout
from gwshift.stdio import write_stdout

if TYPE_CHECKING:
    from gwshift import envelope
    from gwshift.outcome import Outcome

EPILOG = """\
examples:
  helm template my-release ./chart | gwshift
  helm upgrade --install my-release ./chart --post-renderer gwshift \\
      --post-renderer-args --gateway-class=nginx=eg          # Helm 3 (path or name on PATH)
  helm plugin install ./helm-postrenderer                    # Helm 4: then --post-renderer gwshift
  kustomize build overlay/ | gwshift --namespace shop > out.yaml
  kustomize build --enable-alpha-plugins --enable-exec overlay/   # KRM exec function
  gwshift --keep-ingress rendered.yaml                      # parallel run before a DNS cut-over
  gwshift --report migration.md rendered.yaml               # Markdown report for a pull request
  gwshift explain nginx/auth-basic                          # what a note code means, what to do
  gwshift validate out.yaml                                 # check against Gateway API v1.6.1

exit codes: 0 converted (warnings allowed; with --allow-kept also sources kept unchanged),
1 error notes (or warnings with --strict), 2 usage error, 3 internal error (please report).
Notes go to stderr, one per line: severity, code, document index, Kind/namespace/name, field,
message. Helm 4 drops a plugin's stderr: use --report FILE or GWSHIFT_REPORT=FILE.
Every option is also a GWSHIFT_* variable and a functionConfig key: docs/options.md.
"""


class _Parser:
    """Compatibility for callers of the former argparse parser: ``parse_args(argv)``."""

    def parse_args(self, argv: Sequence[str]) -> Args:
        return parse_argv(argv)

    def format_help(self) -> str:
        return help_text(EPILOG)


def build_parser() -> _Parser:
    return _Parser()


def settings_from_args(args: Args, environ: Mapping[str, str]) -> Settings:
    return settings_from(args, environ)


def read_inputs(files: Sequence[str]) -> str:
    from gwshift import stream

    parts: list[str] = []
    for f in files or ["-"]:
        try:  # bounded (GWSHIFT_MAX_INPUT_MB): /dev/zero or a closed stdin is one line
            data = stream.read_input(f)
        except stream.InputError as exc:
            raise FatalError(str(exc)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FatalError(f"gwshift: {f if f != '-' else 'stdin'}: not UTF-8 text (byte "
                             f"{exc.start}); gwshift reads UTF-8 YAML") from None
        if parts and parts[-1] and not parts[-1].endswith("\n"):
            parts[-1] += "\n"
        if parts and text and not text.startswith("---"):
            text = "---\n" + text
        parts.append(text)
    return "".join(parts)


_WRITE_SLICE = 1 << 20


def _subcommand(argv: Sequence[str]) -> int | None:
    """``validate`` / ``verify`` / ``explain``, imported only when asked for."""
    name = argv[0] if argv else ""
    if name == "validate":
        from gwshift.validation.cli import main as validate_main

        return validate_main(list(argv[1:]))
    if name == "verify":
        import importlib

        try:  # written by the verify work; imported by name so a build without it still runs
            verify = importlib.import_module("gwshift.verify.cli")
        except ImportError:
            sys.stderr.write("gwshift: verify is not available in this installation "
                             "(gwshift.verify is missing)\n")
            return 2
        return int(verify.main(list(argv[1:])))
    if name == "explain":
        from gwshift.explain import main as explain_main

        return explain_main(list(argv[1:]))
    return None


def run(argv: Sequence[str]) -> int:
    sub = _subcommand(argv)
    if sub is not None:
        return sub
    args = parse_argv(argv)
    if args.help:
        write_stdout(help_text(EPILOG))
        return 0
    if args.version:
        from gwshift import __version__

        write_stdout(f"gwshift {__version__}\n")
        return 0
    settings = settings_from(args, os.environ)
    if sys.stdout is None:  # started with stdout closed (``>&-``)
        raise FatalError("gwshift: cannot write to stdout: it is closed")
    text = read_inputs(args.files)
    from gwshift import envelope

    result = envelope.run(text, settings)
    try:
        wrote, output = _write(result)
    except BrokenPipeError:
        _silence_stdout()
        raise  # the reader went away (``| head``): main exits 1 quietly
    except (OSError, ValueError) as exc:  # ValueError: a closed stdout object
        _silence_stdout()
        reason = getattr(exc, "strerror", None) or "it is closed"
        raise FatalError(f"gwshift: cannot write to stdout: {reason}") from None
    if not wrote and text.strip():
        raise RuntimeError("non-empty input produced empty output")
    return finish(result.outcome, result.settings, text, output)


def _write(result: envelope.Run) -> tuple[bool, str | None]:
    """Write the output pieces; (whether any had content, the output when a report needs it)."""
    wrote_content = False
    # A report without the pipeline's summary reads the generated objects from the output.
    captured: list[str] | None = (
        [] if result.settings.report and not result.outcome.summary.sources else None)
    for piece in result.pieces:  # written as produced: one output piece in memory at a time
        wrote_content = wrote_content or bool(piece.strip())
        if captured is not None:
            captured.append(piece)
        for at in range(0, len(piece), _WRITE_SLICE):  # bounds the encoded copy
            sys.stdout.write(piece[at : at + _WRITE_SLICE])
    sys.stdout.flush()
    return wrote_content, "".join(captured) if captured is not None else None


def finish(outcome: Outcome, settings: Settings, text: str | None,
           output: str | None = None) -> int:
    """Notes to stderr, the report file, and the exit code (decided in notes.exit_code)."""
    from gwshift.notes import exit_code
    from gwshift.report import stderr_text

    notes = outcome.notes
    sys.stderr.write(stderr_text(notes, settings.notes_format, settings.quiet))
    summary = outcome.summary
    if settings.report or (settings.allow_kept and not summary.sources):
        outcome = _with_summary(outcome, settings, text, output)
        summary = outcome.summary
    if settings.report:
        from gwshift.report import report_text

        try:
            with open(settings.report, "w", encoding="utf-8") as fh:
                fh.write(report_text(settings.report, outcome))
        except OSError as exc:
            raise FatalError(f"gwshift: cannot write report {settings.report}: "
                             f"{exc.strerror}") from None
    kept = {s.doc for s in summary.sources if s.disposition == "kept"} if summary.sources else None
    return exit_code(notes, settings.strict, settings.allow_kept, kept)


def _with_summary(outcome: Outcome, settings: Settings, text: str | None,
                  output: str | None) -> Outcome:
    from gwshift.handlers import owner_of
    from gwshift.report import with_summary

    return with_summary(outcome, text if settings.mode != "krm" else None,
                        settings.target, lambda key: owner_of(key, settings) is not None,
                        output)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    import gc

    # A run allocates many short-lived objects and few cycles: collecting young objects
    # every 700 allocations costs ~7% of a 10k-document run for nothing.
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        return run(args)
    except FatalError as exc:
        sys.stderr.write(f"{exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: bugs exit 3
        if debug:
            import traceback

            traceback.print_exc()
        sys.stderr.write(REPORT_BUG.format(exc=f"{type(exc).__name__}: {exc}") + "\n")
        return 3
    finally:
        gc.set_threshold(*thresholds)
