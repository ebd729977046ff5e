"""Explanations of the HAProxy dialect's codes (haproxy/...)."""

from __future__ import annotations

_SEC_FIX = ("Pick a --target that expresses it; or configure it on the Gateway implementation "
            "and accept the loss with --allow-insecure-drop <code>; or keep the Ingress for now "
            "(--allow-kept).")


def _e(meaning: str, why: str, fix: str) -> dict[str, str]:
    return {"meaning": meaning, "why": why, "fix": fix}


def _sec(meaning: str, why: str) -> dict[str, str]:
    return _e(meaning, why + " The Ingress is kept unconverted (fail closed).", _SEC_FIX)


ENTRIES: dict[str, dict[str, str]] = {
    "haproxy/ip-access-control": _sec("allow-list / deny-list restrict clients by IP.",
                                      "Portable Gateway API has no IP access control."),
    "haproxy/authentication": _sec("auth-type / auth-url / auth-tls protect the backends.",
                                   "Portable Gateway API has no authentication."),
    "haproxy/rate-limit": _sec("rate-limit-* limits request rates.",
                               "Portable Gateway API has no rate limits."),
    "haproxy/snippet": _sec("A config snippet or route ACL holds raw HAProxy configuration.",
                            "It may hold access rules Gateway API cannot express."),
    "haproxy/backend-tls": _sec("HAProxy spoke TLS to the backend.",
                                "Portable backend TLS needs a CA to verify against."),
    "haproxy/path-rewrite-regex": _sec("path-rewrite uses regex captures.",
                                       "Portable rewrites replace a full path or a prefix."),
    "haproxy/ssl-passthrough": _e("ssl-passthrough is not converted.",
                                  "It needs a TLSRoute on a Passthrough listener.",
                                  "Write the TLSRoute; the Ingress is kept."),
    "haproxy/setting": _e("An HAProxy setting (timeouts, cookie persistence) is not expressed.",
                          "Gateway API has no field for it.",
                          "Pick a target that expresses it or configure the implementation."),
    "haproxy/header-expression": _e("A header value uses an HAProxy expression (%[...]).",
                                    "Gateway header modifiers set literal values.",
                                    "Set the header elsewhere."),
    "haproxy/invalid-value": _e("An HAProxy annotation has an invalid value.",
                                "The controller rejects it too.", "Fix the value."),
    "haproxy/annotation-not-converted": _e("An HAProxy annotation is not converted.",
                                           "It tunes the implementation.",
                                           "Configure it on the implementation."),
    "haproxy/ssl-redirect-scope": _e(
        "The HTTP-to-HTTPS redirect covers every path of the Ingress's TLS hosts.",
        "HAProxy redirects only requests that match the Ingress's own paths; other paths get "
        "the default backend's 404.",
        "Accept the wider redirect, or add a Prefix '/' path to the Ingress."),
    "haproxy/path-rewrite-unmatched": _e(
        "path-rewrite's regex does not match the bare path prefix.",
        "HAProxy sends a path its regex does not match upstream unchanged ('/app' for "
        "'^/app/(.*)'); the URLRewrite ReplacePrefixMatch rewrites it too.",
        "Make the regex match the bare prefix (e.g. '^/app/?(.*)'), or accept the difference."),
    "haproxy/ssl-redirect-code-global": _e(
        "haproxy-ingress.github.io/ssl-redirect-code is ignored; the redirect stays 302.",
        "HAProxy Ingress reads ssl-redirect-code from the global ConfigMap only.",
        "Set it in the controller's ConfigMap (and a RequestRedirect statusCode after "
        "conversion), or drop the annotation."),
    "haproxy/unknown-annotation": _e("An HAProxy annotation gwshift does not know.",
                                     "It may be new, or a typo.", "Check the name; report it."),
}
