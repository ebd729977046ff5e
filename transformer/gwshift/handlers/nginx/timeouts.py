"""proxy-*-timeout and retries.

Formula: nginx's connect/send/read timeouts are per-phase *idle* timeouts; Gateway API has
total durations. gwshift sets ``timeouts.backendRequest = connect + send + read`` (nginx
defaults 5 + 60 + 60 for the unset ones): the longest a non-streaming backend call could
take with each phase using its full budget once. ``timeouts.request`` gets the same value
so that an implementation's shorter default total (Envoy: 15s) does not apply. Long
downloads or streams that nginx kept alive (data arriving within every read window) are
cut at that total.
"""

from __future__ import annotations

from collections.abc import Callable

from gwshift.context import Context
from gwshift.handlers._values import MAX_SECONDS, duration, parse_csv, parse_int, parse_seconds
from gwshift.handlers.nginx._common import Apply, ann, backend_rules, say
from gwshift.model import Conversion
from gwshift.notes import info, warning
from gwshift.yamlio import safe_text

DEFAULTS = {"proxy-connect-timeout": 5, "proxy-send-timeout": 60, "proxy-read-timeout": 60}
RETRY_KEYS = ("proxy-next-upstream", "proxy-next-upstream-tries")
_RETRY_CODES = {"http_500": 500, "http_502": 502, "http_503": 503, "http_504": 504,
                "http_403": 403, "http_404": 404, "http_429": 429}


def _group(keys: tuple[str, ...],
           work: Callable[[Conversion, Context, list[str]], None]) -> Callable[[str], Apply]:
    """Handlers for annotations read together: only the first key present does the work."""

    def handler(name: str) -> Apply:
        def apply(value: str, conv: Conversion, ctx: Context) -> None:
            present = [n for n in keys if ann(conv, ctx, n) is not None]
            if present and present[0] == name:
                work(conv, ctx, present)

        return apply

    return handler


def _timeouts(conv: Conversion, ctx: Context, present: list[str]) -> None:
    total = 0
    for name, default in DEFAULTS.items():
        raw = ann(conv, ctx, name)
        secs = parse_seconds(raw)
        if raw is not None and secs is None:
            say(conv, ctx, name, warning, "nginx/invalid-value",
                f"{safe_text(raw, 40)!r} is not whole seconds up to {MAX_SECONDS}; "
                f"nginx's default {default} is used")
        total += secs if secs is not None else default
    for rule in backend_rules(conv):
        rule.timeouts = {"request": duration(total), "backendRequest": duration(total)}
    say(conv, ctx, present[0], warning, "nginx/timeout-approximated",
        f"nginx idle timeouts ({', '.join(present)}) became timeouts.request and "
        f"backendRequest {duration(total)} = connect + send + read; a total limit cuts long "
        "streams that nginx kept open")


def _retry(conv: Conversion, ctx: Context, present: list[str]) -> None:
    """proxy-next-upstream(+-tries) -> experimental ``retry`` (codes only, attempts = tries-1)."""
    name = present[0]
    tokens = parse_csv((ann(conv, ctx, "proxy-next-upstream") or "error timeout").replace(" ", ","))
    tries = parse_int(ann(conv, ctx, "proxy-next-upstream-tries") or "3")
    if ctx.settings.channel != "experimental":
        say(conv, ctx, name, warning, "nginx/retry-experimental",
            "HTTPRoute retry is experimental; not emitted on the standard channel")
        return
    codes = sorted({_RETRY_CODES[t] for t in tokens if t in _RETRY_CODES})
    if "off" in tokens or not codes or tries is None:
        say(conv, ctx, name, info, "nginx/retry-no-codes",
            "no HTTP status to retry on (error/timeout/off have no Gateway API form); "
            "no retry emitted")
        return
    retry: dict[str, object] = {"codes": codes}
    if tries > 1:
        retry["attempts"] = tries - 1
    for rule in backend_rules(conv):
        rule.retry = dict(retry)
    if "non_idempotent" not in tokens:
        say(conv, ctx, name, warning, "nginx/retry-non-idempotent",
            "nginx did not retry POST/LOCK/PATCH; Gateway API retry has no method filter")


timeout = _group(tuple(DEFAULTS), _timeouts)
next_upstream = _group(RETRY_KEYS, _retry)
