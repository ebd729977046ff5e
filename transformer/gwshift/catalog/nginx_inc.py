"""Explanations of the F5 NGINX Ingress Controller dialect's codes (nginx-inc/...)."""

from __future__ import annotations

_SEC_FIX = ("Pick a --target that expresses it (e.g. nginx-gateway-fabric); or configure it on "
            "the Gateway implementation and accept the loss with --allow-insecure-drop <code>; "
            "or keep the Ingress for now (--allow-kept).")


def _e(meaning: str, why: str, fix: str) -> dict[str, str]:
    return {"meaning": meaning, "why": why, "fix": fix}


def _sec(meaning: str, why: str) -> dict[str, str]:
    return _e(meaning, why + " The Ingress is kept unconverted (fail closed).", _SEC_FIX)


ENTRIES: dict[str, dict[str, str]] = {
    "nginx-inc/snippet": _sec("server-snippets / location-snippets hold raw NGINX config.",
                              "They may hold access rules Gateway API cannot express."),
    "nginx-inc/basic-auth": _sec("basic-auth-secret protects the backends.",
                                 "Portable Gateway API has no basic authentication."),
    "nginx-inc/jwt": _sec("nginx.com/jwt-* validates JWTs (NGINX Plus).",
                          "Portable Gateway API has no JWT validation."),
    "nginx-inc/policies": _sec("nginx.org/policies attaches F5 Policy resources.",
                               "They carry access control, auth, WAF or rate limits."),
    "nginx-inc/app-protect": _sec("NGINX App Protect (WAF/DoS) filters requests.",
                                  "Gateway API has no WAF."),
    "nginx-inc/rate-limit": _sec("limit-req-* limits request rates.",
                                 "Portable Gateway API has no rate limits."),
    "nginx-inc/ssl-services": _sec("ssl-services: NGINX spoke HTTPS to the backend without "
                                   "verifying it.", "Portable backend TLS always verifies."),
    "nginx-inc/setting": _e("An NGINX proxy setting (timeouts, body size) is not expressed.",
                            "Gateway API has no field for it.",
                            "Pick a target that expresses it or configure the implementation."),
    "nginx-inc/path-regex": _e("path-regex paths became RegularExpression matches.",
                               "Regex syntax and precedence are implementation-specific; NGINX "
                               "searched the URI unanchored.", "Review the paths."),
    "nginx-inc/rewrite-regex": _e("rewrites on a regex path are not converted.",
                                  "NGINX used the regex captures; Gateway rewrites cannot.",
                                  "Rewrite the path in the backend; the Ingress is kept."),
    "nginx-inc/prefix-string-match": _e(
        "A Prefix (or ImplementationSpecific) path became an HTTPRoute PathPrefix, which "
        "matches whole path elements: '/coffee' no longer serves '/coffeex', and '/coffee/' "
        "now serves '/coffee'.",
        "The F5 controller writes 'location /coffee' (internal/configs/ingress.go "
        "generateIngressPath adds '= ' for Exact only), an NGINX string prefix. A "
        "RegularExpression match would keep it but is implementation-specific, so the "
        "portable PathPrefix is kept.",
        "Check no client relies on the string prefix ('/coffeex', '/coffee.json'); add paths "
        "for them if one does."),
    "nginx-inc/rewrite-double-slash": _e(
        "nginx.org/rewrites with a rewrite ending in '/' on a path without one: NGINX sent "
        "'/tea/cup' upstream as '//cup', the URLRewrite sends '/cup'.",
        "proxy_pass with a URI replaces the matched string of the location (nginx.ingress.tmpl "
        "'proxy_pass http://<upstream><rewrite>'); ReplacePrefixMatch joins at a path element, "
        "and Gateway API has no way to send '//cup'.",
        "Usually the URLRewrite sends what the backend expects; check backends that treated "
        "'//cup' specially (redirects, 404)."),
    "nginx-inc/rewrite-glued-path": _e(
        "nginx.org/rewrites without a trailing '/' on a path ending in '/': NGINX sent "
        "'/tea/cup' upstream as '/v2cup', the URLRewrite sends '/v2/cup'.",
        "proxy_pass with a URI replaces the matched string of the location; ReplacePrefixMatch "
        "joins at a path element.",
        "Check which path the backend expects; write the rewrite with a trailing '/' (or the "
        "path without) so both agree."),
    "nginx-inc/redirect-to-https": _e("redirect-to-https became rules matching "
                                      "X-Forwarded-Proto: http.", "NGINX redirected on that "
                                      "header (TLS ends in front of it).", "Nothing to do."),
    "nginx-inc/hsts-on-http": _e("Strict-Transport-Security is also sent on HTTP.",
                                 "The route serves HTTP and HTTPS (ssl-redirect off).",
                                 "Browsers ignore it on HTTP; nothing to do."),
    "nginx-inc/header-variable": _e("A proxy-set-headers value uses an NGINX variable.",
                                    "Gateway header modifiers set literal values.",
                                    "Set the header elsewhere."),
    "nginx-inc/mergeable": _e("A minion of a mergeable master converts on its own.",
                              "Master annotations are not inherited.", "Review the master."),
    "nginx-inc/mergeable-master-security": _sec(
        "The master Ingress of this minion sets an access control NGINX applied to it.",
        "The minion does not carry the master's annotations over."),
    "nginx-inc/grpc-paths": _e("grpc-services on a rule with a path other than '/' (or a "
                               "rewrite) is not converted.", "A GRPCRoute matches gRPC "
                               "services and methods, not paths.",
                               "Route gRPC on '/' of its own host; the Ingress is kept."),
    "nginx-inc/invalid-value": _e("An F5 NGINX annotation has an invalid value.",
                                  "The controller rejects it too.", "Fix the value."),
    "nginx-inc/annotation-not-converted": _e("An F5 NGINX annotation is not converted.",
                                             "It tunes the implementation.",
                                             "Configure it on the implementation."),
    "nginx-inc/unknown-annotation": _e("An nginx.org/ or nginx.com/ annotation gwshift does "
                                       "not know.", "It may be new, or a typo.",
                                       "Check the name; report it."),
}
