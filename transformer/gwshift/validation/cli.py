"""``gwshift validate``: check Gateway API and implementation manifests offline against the
bundled CRDs (Gateway API, and Envoy Gateway, NGINX Gateway Fabric, Traefik, Kong, Istio,
GKE and AWS Load Balancer Controller policy kinds).

    gwshift validate [FILE ...|-] [--channel standard|experimental] [--gateway-api-version V]

Prints one line per violation on stdout, ``Kind/namespace/name<TAB>field<TAB>message``
(``-`` for a missing namespace, name or field), and a summary on stderr. Exit status:
0 all valid, 1 violations or unreadable input, 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any, TextIO

PROG = "gwshift validate"

# Wrappers whose items are the objects (kubectl's List, a KRM function's ResourceList).
_LIST_KINDS = frozenset({"List", "ResourceList"})


class InputError(Exception):
    """A file that cannot be read or parsed; reported as one line."""


def _parser() -> argparse.ArgumentParser:
    from . import available_versions

    versions = available_versions()
    ap = argparse.ArgumentParser(
        prog=PROG,
        description="Validate Gateway API objects, and objects of the implementations' CRD "
        "groups gwshift bundles (gateway.envoyproxy.io, gateway.nginx.org, traefik.io, "
        "configuration.konghq.com, security.istio.io, networking.istio.io, networking.gke.io, "
        "gateway.k8s.aws), against their CRDs (schema and CEL rules), offline. Other "
        "documents are skipped.",
    )
    ap.add_argument("files", nargs="*", metavar="FILE", help="YAML files; '-' or none: stdin")
    ap.add_argument("--channel", choices=("standard", "experimental"), default="standard")
    ap.add_argument(
        "--gateway-api-version",
        type=lambda text: text.removeprefix("v"),  # accept the tag spelling v1.6.1 too
        choices=versions,
        default=versions[-1],
        metavar="VERSION",
        help=f"Gateway API release whose CRDs are used ({', '.join(versions)}; "
        f"default {versions[-1]})",
    )
    return ap


def _documents(text: str) -> list[Any]:
    from gwshift import yamlio

    try:
        docs = list(yamlio.load_all(text))
    except yamlio.YAMLError as exc:
        raise InputError(f"YAML error: {yamlio.error_line(exc)}") from None
    except yamlio.UnsafeYAML as exc:
        raise InputError(f"refused YAML: {exc}") from None
    return list(_flatten(docs))


def _flatten(docs: list[Any]) -> Iterator[Any]:
    for doc in docs:
        if doc is None:
            continue  # empty document (`---` at the end, comments only)
        if (
            isinstance(doc, dict)
            and doc.get("kind") in _LIST_KINDS
            and isinstance(doc.get("items"), list)
        ):
            yield from _flatten(doc["items"])
        else:
            yield doc


def _read(name: str, stdin: TextIO | None) -> str:
    """The text of ``name`` (``-``: stdin). Read through ``stream.read_input``, bounded by
    GWSHIFT_MAX_INPUT_MB like the conversion: ``/dev/zero`` or a closed stdin is one line,
    not a MemoryError or a traceback. ``stdin`` (tests) is a text stream read as given."""
    from gwshift import stream

    if name == "-" and stdin is not None:
        return stdin.read()
    try:
        data = stream.read_input(name)
    except stream.InputError as exc:
        # stream's line names the program and the file; the caller prefixes both already.
        where = "stdin" if name == "-" else name
        msg = str(exc).removeprefix("gwshift: ")
        msg = msg.replace(f"cannot read {where}: ", "cannot read: ", 1).removeprefix(f"{where}: ")
        raise InputError(msg) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read: not UTF-8 text (byte {exc.start})") from None


def _label(obj: dict[str, Any]) -> str:
    meta = obj.get("metadata")
    meta = meta if isinstance(meta, dict) else {}
    return f"{obj.get('kind') or '-'}/{meta.get('namespace') or '-'}/{meta.get('name') or '-'}"


def main(argv: list[str] | None = None, stdin: TextIO | None = None) -> int:
    from . import ValidationUnavailable, is_checked, validate_objects

    try:
        args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # argparse: 2 on usage errors, 0 for --help
        return int(exc.code or 0)

    objs: list[Any] = []
    failed = False
    for name in args.files or ["-"]:
        shown = "<stdin>" if name == "-" else name
        try:
            objs += _documents(_read(name, stdin))
        except InputError as exc:
            print(f"{PROG}: {shown}: {exc}", file=sys.stderr)
            failed = True

    if failed and not objs:
        return 1  # nothing readable: the error lines above say it all
    targets = [o for o in objs if is_checked(o)]
    skipped = len(objs) - len(targets)
    try:
        violations = validate_objects(targets, args.channel, args.gateway_api_version)
    except ValidationUnavailable as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 1

    from gwshift.stdio import write_stdout  # a closed or full stdout: one line, exit 1

    write_stdout("".join(f"{_label(targets[v.index])}\t{v.field or '-'}\t{v.message}\n"
                         for v in violations))
    invalid = len({v.index for v in violations})
    print(
        f"{PROG}: {len(targets)} object(s) checked against the {args.channel} channel of "
        f"Gateway API v{args.gateway_api_version} and the bundled implementation CRDs: "
        f"{invalid} invalid, {len(violations)} "
        f"violation(s); {skipped} other document(s) skipped",
        file=sys.stderr,
    )
    return 1 if failed or violations else 0


if __name__ == "__main__":
    sys.exit(main())
