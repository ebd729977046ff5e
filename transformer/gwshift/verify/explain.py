"""Which conversion notes explain which kind of difference (data, not code).

A difference found for a probe is *explained* when the conversion of BEFORE reported, for
one of the Ingresses that decided the probe on either side, a note whose code this table
lists for the difference's kind. Patterns use ``fnmatch`` (``nginx/canary-*``).
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import NamedTuple

from gwshift.verify.types import Ref

# Paths and hosts matched differently (nginx string prefixes, regex hosts, case).
_NEUTRAL_MATCHING = (
    "ingress/path-type-implementation-specific", "ingress/invalid-path", "ingress/invalid-host",
    "nginx/implementation-specific-string-prefix", "nginx/implementation-specific-trailing-slash",
    "nginx/regex-host", "nginx/path-literal-regex", "nginx/regex-pcre-only",
    "nginx/rewrite-target-prefix-idiom", "nginx/rewrite-target-capture-groups",
    "nginx/server-alias-own-paths", "nginx/grpc-paths", "nginx/grpc-paths-dropped",
    "nginx/ssl-passthrough*", "ingress/resource-backend", "ingress/unresolved-port-name",
    "ingress/wildcard-host-depth", "ingress/default-backend-shadowed",
)
# The dialects' matching notes (their source models: verify/traefik.py ...).
_DIALECT_MATCHING = (
    "traefik/path-regexp", "traefik/match-unsupported",
    "traefik/hostless-alternative", "traefik/ingressroute-invalid", "traefik/syntax-not-converted",
    "traefik/priority-not-converted", "traefik/router-priority-not-converted",
    "traefik/service-kind-unsupported", "traefik/cross-namespace-backend",
    "traefik/prefix-string-match", "traefik/rule-length-priority", "traefik/query-v3-syntax",
    "nginx-inc/prefix-string-match",
    "alb/path-pattern-approximated", "alb/path-regex", "alb/condition-*", "alb/rule-shadowed",
    "alb/group-rule-shadowed", "alb/ingress-never-matches", "alb/invalid-path",
    "alb/source-ip-condition", "alb/action-*",
    "gce/path-prefix-approximated", "gce/invalid-path",
    "kong/regex-path", "kong/header-match-case", "kong/regex-priority-not-converted",
    "kong/grpc-paths*", "kong/too-many-*", "kong/protocol-stream", "kong/stream-ingress-*",
)
_MATCHING = _NEUTRAL_MATCHING + _DIALECT_MATCHING
_ATTACH = ("gateway/allowed-routes-required", "gateway/allowed-listeners-required",
           "gateway/tls-on-existing-gateway", "gateway/https-without-secret",
           "gateway/name-collision", "gce/managed-certificates", "gce/pre-shared-cert",
           "gce/no-listener", "alb/https-certificate-from-acm", "traefik/tls-secret-placeholder",
           "kong/tls-secret-placeholder")
# Not nginx/canary-without-primary: when nginx really ignores a canary neither side has
# it, so a difference proves the note wrong (issue 13 item 10). Not nginx/canary-merged
# either: merging is the faithful conversion, it explains no difference.
_CANARY = ("nginx/canary-by-cookie-approximate",
           "nginx/canary-header-pattern", "nginx/canary-no-traffic", "nginx/canary-duplicate",
           "nginx/canary-on-redirect", "nginx/canary-shared-rule", "nginx/canary-primary-kept")
# A redirect missing or added: the conversion could not express it (or its condition).
_REDIRECT = (
    "ingress/tls-host-not-listed", "nginx/redirect-target-unsupported", "nginx/redirect-code-unsupported",
    "nginx/force-ssl-redirect-without-tls", "nginx/ssl-redirect-*", "nginx/www-redirect-*",
    "nginx/canary-on-redirect", "nginx/implementation-specific-trailing-slash",
    "nginx/prefix-trailing-slash", "alb/redirect-*", "alb/ssl-redirect-from-group",
    "gce/frontendconfig-*", "kong/https-only",
    "haproxy/ssl-redirect-scope",
)
# Both redirect, to different places or with different codes.
_REDIRECT_TARGET = ("nginx/redirect-*", "nginx/www-redirect-*", "nginx/app-root-query",
                    "nginx/implementation-specific-trailing-slash", "nginx/prefix-trailing-slash",
                    "alb/redirect-*", "haproxy/ssl-redirect-code-global")
_ACCESS = (
    "nginx/ip-access-control", "nginx/auth-*", "ingress/security-annotation-dropped",
    "nginx/security-parameter-inert", "nginx/passthrough-ignores-security-annotation",
    "nginx/rate-limit", "nginx/waf", "alb/inbound-cidrs", "alb/authentication",
    "traefik/ip-allowlist", "traefik/basic-auth", "traefik/forward-auth", "traefik/middleware",
    "gce/iap", "gce/cloud-armor", "kong/plugin", "kong/plugin-dropped", "kong/ip-restriction",
)
_REWRITE = ("nginx/rewrite-target-*", "nginx/x-forwarded-prefix-without-rewrite",
            "nginx/upstream-vhost-unsupported", "traefik/passhostheader-*",
            "traefik/middleware-path-unsupported", "traefik/middleware-approximated",
            "kong/preserve-host-approximated", "kong/strip-path-*", "kong/service-path-mixed",
            "kong/rewrite-captures", "kong/plugin-approximated",
            "nginx-inc/rewrite-double-slash", "nginx-inc/rewrite-glued-path",
            "haproxy/path-rewrite-unmatched")

EXPLAINS: dict[str, tuple[str, ...]] = {
    # An unlisted host of a TLS Ingress: nginx answered HTTPS with its default certificate.
    "not-served": _MATCHING + _ATTACH + _CANARY + ("ingress/tls-host-not-listed",),
    "extra-served": _MATCHING + _ATTACH + _CANARY,
    "backend": _MATCHING + _CANARY + ("nginx/backend-protocol-unsupported",),
    "weights": _CANARY,
    "rewrite": _REWRITE,
    "headers": _REWRITE,
    "redirect-lost": _REDIRECT + _MATCHING,
    "redirect-added": _REDIRECT + _MATCHING,
    "redirect-differs": _REDIRECT_TARGET,
    "access-control-lost": _ACCESS,
    "access-control-added": _ACCESS,
    "status": _MATCHING + _ATTACH + _REDIRECT,
    "host-split": (),
    # Duplicate host+path across Ingresses: the winner depends on creation order (issue 13
    # item 8 asks for a warning; any code naming a duplicate path or conflict explains it).
    "order-dependent": ("*/duplicate-path*", "*/path-conflict*", "*/duplicate-host-path*"),
}
KINDS = tuple(EXPLAINS)

# Codes the fidelity work adds to the converter (main at 3debe49); listed so the table
# explains them as soon as they are emitted. Drop an entry once every branch has it.
PENDING_CODES = ("ingress/wildcard-host-depth", "ingress/default-backend-shadowed",
                 "nginx/prefix-trailing-slash", "nginx/app-root-query")
# The dialects' conversion defects verify finds (tests/verify/test_dialect_defects.py)
# name the note code their fix would introduce; a code goes into EXPLAINS (above) when a
# dialect emits it, never before (every code literal of the package must be emitted).

# An Ingress that conversion left in place (it is in AFTER unchanged): any error note on
# it, or one of these, explains every difference it decides.
KEPT_CODES = ("ingress/class-not-selected", "ingress/unsupported-api-version",
              "ingress/already-converted", "ingress/nothing-to-convert", "ingress/invalid")


# The source kinds whose conversion notes explain differences (Ingress and the dialects'
# own objects); a route's ``gwshift.dev/source`` names one of them.
SOURCE_KINDS = ("Ingress", "IngressRoute", "TCPIngress", "UDPIngress")
# Note-code families that belong to one controller: they explain only that controller's
# differences (a traefik/ note on an nginx class would mean the wrong semantics).
DIALECT_FAMILIES = ("nginx", "traefik", "kong", "alb", "gce", "haproxy", "nginx-inc")


def key(ref: Ref) -> tuple[str, str]:
    """The notes index of a source object: (namespace, name) for an Ingress, (namespace,
    kind/name) for the dialects' own kinds."""
    return (ref.namespace, ref.name if ref.kind == "Ingress" else f"{ref.kind}/{ref.name}")


def _foreign(code: str, dialect: str) -> bool:
    family = code.partition("/")[0]
    return family in DIALECT_FAMILIES and family != dialect


class NoteRef(NamedTuple):
    code: str
    severity: str
    obj: str
    message: str


def explains(kind: str, code: str) -> bool:
    return any(fnmatchcase(code, pat) for pat in EXPLAINS.get(kind, ()))


def find(kind: str, refs: Iterable[Ref], notes: dict[tuple[str, str], list[NoteRef]],
         kept: set[tuple[str, str]], dialect: str = "nginx") -> NoteRef | None:
    """The first note explaining a ``kind`` difference decided by ``refs``.

    A controller family's notes (``nginx/``, ``traefik/``, ``kong/``, ``alb/``, ``gce/`` ...)
    explain nothing for a class another controller serves: they would mean the conversion
    applied the wrong controller's semantics (issue 13 item 11). An error note means the conversion refused the Ingress (it stays
    an Ingress): it explains that the Ingress is missing from AFTER, never a Gateway API
    object that serves its traffic differently (e.g. a hand-written route that lost the
    allowlist the conversion refused to drop).
    """
    refs = [r for r in refs if r.kind in SOURCE_KINDS]
    for ref in refs:
        for n in notes.get(key(ref), []):
            if n.severity == "error" or _foreign(n.code, dialect):
                continue
            if explains(kind, n.code):
                return n
    for ref in refs:
        if key(ref) in kept:
            for n in notes.get(key(ref), []):
                if n.severity == "error" or n.code in KEPT_CODES:
                    return n
    return None


KIND_MEANING: dict[str, str] = {
    "not-served": "the source controller served a backend, the Gateway API objects answer an error",
    "extra-served": "the source controller answered 404, the Gateway API objects serve a backend",
    "backend": "both serve, different Services or ports",
    "weights": "same backends, different traffic shares",
    "rewrite": "same backend, different path sent upstream",
    "headers": "same backend and path, different X-Forwarded-Prefix or upstream Host",
    "redirect-lost": "the source controller redirected, the Gateway API objects do not",
    "redirect-added": "the Gateway API objects redirect, the source controller did not",
    "redirect-differs": "both redirect, to another Location or with another code",
    "access-control-lost": "the source controller denied (401/403), the Gateway API objects serve",
    "access-control-added": "the Gateway API objects deny, the source controller served",
    "status": "both answer an error, with different codes",
    "host-split": "several Gateways claim the host and answer differently",
    "order-dependent": "several Ingresses define the host and path; which one wins depends on "
                       "creation timestamps the manifests do not carry (nginx) or is undefined "
                       "(equal Traefik or Kong priorities)",
}


def markdown() -> str:
    """The explanation table as Markdown (docs/verify.md embeds it; a test keeps it equal)."""
    lines = ["| kind | meaning | explained by |", "|---|---|---|"]
    for kind, codes in EXPLAINS.items():
        shown = ", ".join(f"`{c}`" for c in codes) or "nothing: always reported"
        lines.append(f"| `{kind}` | {KIND_MEANING[kind]} | {shown} |")
    lines.append("")
    lines.append("An Ingress the conversion left in place (still in AFTER) is explained by any "
                 "error note on it or by " + ", ".join(f"`{c}`" for c in KEPT_CODES) + ".")
    return "\n".join(lines) + "\n"
