"""Explanations of the ingress-nginx dialect's codes (nginx/...).

The annotations that can produce each code are added by ``explain`` from the dialect table
(``Handler.codes``); these entries say what, why and what to do.
"""

from __future__ import annotations

from gwshift.catalog import Entry

_DOC = "annotations/nginx.md"
_KEPT = " The Ingress is kept unconverted (fail closed) unless you allow the loss."
_SEC = ("--target", "--allow-insecure-drop", "--allow-kept")


def _sec(meaning: str, why: str) -> Entry:
    return Entry(meaning, why + _KEPT,
                 "Pick a --target that expresses it; or configure the control on the Gateway "
                 "implementation and accept the loss with --allow-insecure-drop <this code>; or "
                 "keep the Ingress for now (--allow-kept lets the run exit 0).", _SEC, _DOC)


def _approx(meaning: str, why: str, fix: str, flags: tuple[str, ...] = ()) -> Entry:
    return Entry(meaning, why, fix, flags, _DOC)


ENTRIES: dict[str, Entry] = {
    # security controls (fail closed)
    "nginx/ip-access-control": _sec(
        "whitelist-source-range / denylist-source-range restrict clients by IP address.",
        "Portable Gateway API has no IP access control."),
    "nginx/auth-basic": _sec(
        "auth-type basic protects the Ingress with HTTP basic authentication.",
        "Portable Gateway API has no basic authentication."),
    "nginx/auth-external": _sec(
        "auth-url (or auth-signin) delegates authentication to an external service that the "
        "chosen target cannot express.",
        "Without it every request would reach the backend unauthenticated."),
    "nginx/auth-url": _sec(
        "auth-url asks an external service to authorise each request.",
        "The target cannot express external authorisation for this Ingress."),
    "nginx/auth-client-certificate": _sec(
        "auth-tls-* require client certificates (mutual TLS).",
        "Client certificate validation is a Gateway/listener feature the target cannot "
        "express per route."),
    "nginx/auth-satisfy": _sec(
        "satisfy any/all combines IP access and authentication.",
        "The combination cannot be expressed."),
    "nginx/rate-limit": _sec(
        "limit-rps / limit-rpm / limit-connections rate-limit clients.",
        "Portable Gateway API has no rate limiting; dropping it removes a protection."),
    "nginx/waf": _sec(
        "enable-modsecurity / enable-owasp-core-rules / modsecurity-* enable a web "
        "application firewall.",
        "Gateway API has no WAF."),
    "nginx/snippet": _sec(
        "configuration-snippet / server-snippet inject raw nginx configuration.",
        "Raw nginx configuration cannot be translated; it often holds access rules."),
    "nginx/passthrough-ignores-security-annotation": Entry(
        "With ssl-passthrough, a security annotation on the Ingress stops applying.",
        "ingress-nginx ignores all annotations on passthrough Ingresses; gwshift says so "
        "because the chart author probably expected the control to apply.",
        "Enforce the control in the backend that terminates TLS.", (), _DOC),
    "nginx/security-parameter-inert": Entry(
        "A parameter of a security feature is set but the feature itself is not.",
        "ingress-nginx ignores it too; nothing is lost.",
        "Remove the parameter, or set the main annotation.", (), _DOC),
    # authentication details
    "nginx/auth-url-cross-namespace": _approx(
        "The auth Service lives in another namespace.",
        "A cross-namespace backendRef needs a ReferenceGrant in that namespace.",
        "Create a ReferenceGrant in the auth Service's namespace."),
    "nginx/auth-url-path-prefixed": _approx(
        "The external auth service receives the auth path followed by the client's path.",
        "Gateway API ExternalAuth forwards the original path as a prefix; nginx called the "
        "auth URL as it was.",
        "Make the auth service accept any path under its prefix."),
    "nginx/auth-url-parameter-lost": _approx(
        "An auth-* parameter (cache, method, signin, snippet ...) has no ExternalAuth "
        "equivalent.",
        "Gateway API ExternalAuth has fewer knobs than nginx's auth_request.",
        "Check that the auth service works without it."),
    "nginx/auth-response-headers-all": _approx(
        "No auth-response-headers were set, and ExternalAuth then copies every auth response "
        "header.",
        "nginx copied none unless listed.",
        "Set auth-response-headers to the headers the backend needs."),
    # backend protocol and TLS
    "nginx/backend-protocol-unsupported": _approx(
        "backend-protocol names a protocol Gateway API cannot speak to the backend (FCGI, "
        "AJP ...).",
        "There is no route kind for it; the Ingress is kept.",
        "Keep this Ingress on ingress-nginx, or change the backend protocol."),
    "nginx/backend-tls-unverified": _sec(
        "backend-protocol HTTPS/GRPCS without proxy-ssl-verify: nginx talked TLS to the "
        "backend without checking its certificate.",
        "BackendTLSPolicy always verifies; gwshift cannot know the CA to trust."),
    "nginx/backend-tls-ca-configmap": _approx(
        "The BackendTLSPolicy refers to a CA ConfigMap that must exist.",
        "nginx read the CA from a Secret; Gateway API reads it from a ConfigMap.",
        "Create the ConfigMap with the CA (key ca.crt); a client certificate goes on the "
        "Gateway."),
    "nginx/backend-tls-hostname": _approx(
        "The BackendTLSPolicy checks the backend certificate against a hostname.",
        "Gateway API needs a hostname to verify; gwshift uses proxy-ssl-name or the Service "
        "DNS name.",
        "Check that the backend certificate is valid for that name."),
    "nginx/backend-tls-sni": _approx(
        "proxy-ssl-server-name: BackendTLSPolicy always sends SNI.",
        "Gateway API has no switch for it.",
        "Nothing to do unless the backend refuses SNI."),
    "nginx/backend-tls-whole-service": _approx(
        "The BackendTLSPolicy targets every port of the Service.",
        "Port names are not known in the stream, so it cannot use a sectionName.",
        "Check that every port of the Service speaks TLS, or split the Service."),
    "nginx/backend-tls-conflict": _approx(
        "Two Ingresses ask for different backend TLS settings on the same Service.",
        "One BackendTLSPolicy per Service port; the first one wins.",
        "Make the Ingresses agree."),
    "nginx/proxy-ssl-without-https": Entry(
        "A proxy-ssl-* annotation is set but backend-protocol is not HTTPS/GRPCS.",
        "ingress-nginx ignores it too.", "Remove it, or set backend-protocol.", (), _DOC),
    "nginx/grpc-paths": _approx(
        "A GRPC backend becomes a GRPCRoute; HTTP paths become gRPC method matches where "
        "possible.",
        "gRPC routes match services and methods, not paths.",
        "Check the generated GRPCRoute matches."),
    "nginx/grpc-paths-dropped": _approx(
        "Paths of a GRPC Ingress cannot be gRPC method matches and are dropped.",
        "Only /package.Service/Method paths map to GRPCRoute matches.",
        "Check that all calls should reach the backend."),
    "nginx/grpc-timeouts-dropped": _approx(
        "Timeouts/retries on a GRPC Ingress are dropped.",
        "GRPCRoute rules have no timeouts or retry fields.",
        "Configure them on the Gateway implementation if they matter."),
    "nginx/grpc-filter-unsupported": _approx(
        "A GRPCRoute cannot carry a filter this Ingress needs.",
        "GRPCRoute supports fewer filters than HTTPRoute; the Ingress is kept.",
        "Remove the annotation that needs the filter, or keep the Ingress."),
    # canary
    "nginx/canary-merged": _approx(
        "A canary Ingress was merged into its primary's routes as weighted or header-matched "
        "backends.",
        "Gateway API expresses canaries inside one route; no separate objects exist for it.",
        "Nothing to do; the canary Ingress is removed from the output."),
    "nginx/canary-without-primary": Entry(
        "A canary Ingress has no primary Ingress (same host, path and class) in the stream.",
        "Without the primary there is nothing to merge into; converting it alone would send "
        "all traffic to the canary. The Ingress is kept.",
        "Render the primary in the same stream, or remove the canary annotations.", (), _DOC),
    "nginx/canary-primary-kept": Entry(
        "The canary's primary Ingress is kept unconverted, so the canary is kept too.",
        "Canary and primary must move together.",
        "Resolve the note that keeps the primary.", (), _DOC),
    "nginx/canary-annotation-ignored": _approx(
        "A canary-* annotation has no effect in this combination (as in nginx).",
        "nginx applies canary rules in a fixed precedence.",
        "Remove the annotation."),
    "nginx/canary-by-cookie-approximate": _approx(
        "canary-by-cookie became a Cookie header regex match.",
        "Gateway API has no cookie match.",
        "Check the generated header match."),
    "nginx/canary-header-pattern": _approx(
        "canary-by-header-pattern became a header RegularExpression match.",
        "Regex dialects are implementation-specific.",
        "Check the pattern on your implementation."),
    "nginx/canary-no-traffic": _approx(
        "The canary's weight is 0: it gets no traffic.", "As in nginx.",
        "Raise canary-weight when ready."),
    "nginx/canary-duplicate": _approx(
        "Two canaries target the same primary rule; nginx uses only one.",
        "gwshift keeps the first, as nginx does.", "Remove the extra canary."),
    "nginx/canary-on-redirect": _approx(
        "The primary rule redirects, so the canary gets no traffic.", "As in nginx.",
        "Nothing to do, unless the redirect is unintended."),
    "nginx/canary-parameter-without-canary": Entry(
        "A canary-* parameter is set, but canary is not \"true\".",
        "ingress-nginx ignores it too.", "Remove it, or set canary: \"true\".", (), _DOC),
    "nginx/canary-shared-rule": _approx(
        "The primary rule also serves other hosts, which now get the canary split too.",
        "One route rule per (hosts, path) group.",
        "Split the primary Ingress per host if that matters."),
    "nginx/canary-cross-namespace": Entry(
        "The canary's primary Ingress is in another namespace.",
        "nginx merges them; a cross-namespace backendRef needs a ReferenceGrant (written with "
        "the primary's objects), or the canary is kept when that cannot be expressed.",
        "Check the ReferenceGrant, or move the canary next to its primary.", (), _DOC),
    "nginx/canary-header-pattern-pcre": Entry(
        "canary-by-header-pattern uses PCRE-only syntax; the canary is kept.",
        "RE2-based Gateway implementations reject it.",
        "Rewrite the pattern without PCRE-only constructs.", (), _DOC),
    # CORS
    "nginx/cors-wildcard-credentials": _approx(
        "CORS origin '*' with credentials is written with allowCredentials: false.",
        "Browsers refused nginx's literal '*' for credentialed requests; a Gateway '*' with "
        "credentials would echo every origin, so credentialed requests stay refused.",
        "List the origins in cors-allow-origin to allow credentials."),
    "nginx/cors-origin-invalid": _approx(
        "A cors-allow-origin entry is not a valid origin and is dropped.",
        "Gateway API CORS validates origins.", "Fix the origin (scheme://host[:port])."),
    "nginx/cors-method-invalid": _approx(
        "A cors-allow-methods entry is not an HTTP method and is dropped.",
        "Gateway API CORS validates methods.", "Fix the method list."),
    "nginx/cors-parameter-without-enable-cors": Entry(
        "A cors-* parameter is set but enable-cors is not \"true\".",
        "ingress-nginx ignores it too.", "Remove it, or set enable-cors.", (), _DOC),
    # headers
    "nginx/custom-headers-configmap-missing": _sec(
        "custom-headers names a ConfigMap that is not in the stream.",
        "The headers are often security headers; gwshift cannot copy what it cannot read."),
    "nginx/custom-headers-static": _approx(
        "Headers were copied from the ConfigMap at conversion time.",
        "Gateway API filters hold values, not references.",
        "Re-run gwshift when the ConfigMap changes."),
    "nginx/custom-headers-too-many": _approx(
        "More custom headers than a header filter may hold.",
        "Gateway API limits a ResponseHeaderModifier to 16 headers.",
        "Reduce the headers, or set them on the Gateway implementation."),
    # paths and regex
    "nginx/implementation-specific-string-prefix": _approx(
        "An ImplementationSpecific path was a plain string prefix in nginx (/foo matched "
        "/foobar); it is now PathPrefix (segment-wise).",
        "Gateway API PathPrefix matches whole segments.",
        "Check clients that relied on partial segments."),
    "nginx/implementation-specific-trailing-slash": _approx(
        "An ImplementationSpecific path with a trailing slash became PathPrefix.",
        "Gateway API ignores the trailing slash of a prefix.", "Check the path."),
    "nginx/path-literal-regex": _approx(
        "A path is no valid Exact/PathPrefix value and is written as a literal regular "
        "expression.", "Regex matching is implementation-specific.",
        "Check the path on your implementation."),
    "nginx/regex-host": _approx(
        "use-regex (or rewrite-target) makes every path of the host a regular expression.",
        "In nginx regex mode is host-wide, case-insensitive and start-anchored.",
        "Check the generated RegularExpression matches."),
    "nginx/regex-pcre-only": _approx(
        "A path regex uses PCRE-only syntax (lookaround, backreferences ...); the Ingress is "
        "kept.", "Gateway API implementations use RE2-like engines.",
        "Rewrite the regex without PCRE-only constructs."),
    "nginx/prefix-trailing-slash": _approx(
        "A Prefix path ends in '/': nginx answered the path without the slash with a 301, the "
        "Gateway forwards it to the backend.",
        "Gateway API prefix matching ignores the trailing slash.",
        "Check that the backend handles the path without the slash."),
    "nginx/rewrite-target-equals-path": _approx(
        "rewrite-target equals the path: nothing is rewritten (as in nginx).",
        "nginx uses a plain proxy_pass there; the route needs no filter.", "Nothing to do."),
    "nginx/rewrite-target-query": _approx(
        "The rewrite target carries query arguments; the Ingress is kept.",
        "nginx puts them before the request's own; URLRewrite cannot change the query.",
        "Remove the query from the target, or keep the Ingress."),
    "nginx/app-root-query": _approx(
        "app-root redirects keep the request's query string.",
        "A Gateway RequestRedirect always keeps it; nginx's 'return 302' dropped it.",
        "Nothing to do unless clients rely on the query being dropped."),
    "nginx/rewrite-target-prefix-idiom": _approx(
        "rewrite-target with the usual capture-group idiom became a URLRewrite "
        "ReplacePrefixMatch.", "That is the exact Gateway API equivalent.", "Nothing to do."),
    "nginx/rewrite-target-capture-groups": _approx(
        "rewrite-target uses capture groups that Gateway API cannot express; the Ingress is "
        "kept.", "URLRewrite has no regex substitution.",
        "Use the prefix idiom (path /x(/|$)(.*), target /$2), or keep the Ingress."),
    "nginx/x-forwarded-prefix-without-rewrite": _approx(
        "x-forwarded-prefix is set without rewrite-target.",
        "nginx sends the header only when it rewrites.", "Remove it, or add rewrite-target."),
    "nginx/upstream-vhost-unsupported": _approx(
        "upstream-vhost cannot be expressed here.",
        "It becomes a URLRewrite hostname only where a rewrite filter is allowed.",
        "Check the backend's Host expectations."),
    # redirects
    "nginx/redirect-query": _approx(
        "The redirect carries the request query over.",
        "Gateway API redirects keep the query; nginx's target decided.",
        "Check the redirect target."),
    "nginx/redirect-query-dropped": _approx(
        "A query in the redirect target is dropped.",
        "RequestRedirect has no query field.", "Check the redirect target."),
    "nginx/redirect-target-unsupported": _approx(
        "The redirect target uses nginx variables that cannot be expressed; the Ingress is "
        "kept.", "RequestRedirect takes fixed parts only.", "Use a fixed URL."),
    "nginx/redirect-code-unsupported": _approx(
        "The redirect status code is not one Gateway API allows (301, 302, 303, 307, 308).",
        "Other codes block the Ingress.", "Use an allowed code."),
    "nginx/redirect-both": _approx(
        "Both permanent-redirect and temporal-redirect are set; temporal wins (as in nginx).",
        "nginx's precedence.", "Remove one."),
    "nginx/force-ssl-redirect-without-tls": _approx(
        "force-ssl-redirect without TLS on the Ingress.",
        "nginx redirected every plain-HTTP request; the redirect is emitted.",
        "Check that HTTPS is served for the host."),
    "nginx/ssl-redirect-no-certificate": _approx(
        "nginx redirected HTTP to HTTPS for a host without a certificate here.",
        "No HTTPS listener can be generated without a Secret.",
        "Add the TLS secret, or attach to a Gateway that serves it (--gateway).",
        ("--gateway",)),
    "nginx/ssl-redirect-grpc": _approx(
        "A gRPC route is served on the HTTPS listener only.",
        "gRPC clients do not follow redirects.", "Nothing to do."),
    "nginx/www-redirect-skipped": _approx(
        "from-to-www-redirect is skipped: another Ingress serves the other name.",
        "As in nginx.", "Nothing to do."),
    "nginx/www-redirect-no-tls": _approx(
        "from-to-www-redirect for HTTPS needs a certificate for the other name.",
        "No listener can be generated without it.", "Add the name to the TLS secret."),
    # timeouts, retries, affinity
    "nginx/timeout-approximated": _approx(
        "proxy-*-timeout became HTTPRoute timeouts.backendRequest (connect + send + read).",
        "Gateway API has one backend timeout.", "Check the resulting timeout."),
    "nginx/retry-experimental": _approx(
        "proxy-next-upstream retries need the experimental channel.",
        "HTTPRoute retry is experimental in Gateway API.",
        "Use --channel experimental if your implementation supports it.", ("--channel",)),
    "nginx/retry-no-codes": _approx(
        "proxy-next-upstream error/timeout have no status code to retry on.",
        "Gateway API retries by status code.", "Check the retry behaviour."),
    "nginx/retry-non-idempotent": _approx(
        "nginx retried non-idempotent requests; Gateway API retry semantics differ.",
        "Implementation-specific.", "Check the implementation's retry rules."),
    "nginx/affinity-experimental": _approx(
        "Cookie affinity needs sessionPersistence (experimental channel).",
        "Standard channel: reported, not emitted.",
        "Use --channel experimental, or a --target that expresses affinity.",
        ("--channel", "--target")),
    "nginx/affinity-parameter-without-affinity": Entry(
        "A session-cookie-* parameter is set but affinity is not cookie.",
        "ingress-nginx ignores it too.", "Remove it, or set affinity: cookie.", (), _DOC),
    "nginx/session-cookie-attribute-lost": _approx(
        "A session cookie attribute has no sessionPersistence equivalent.",
        "sessionPersistence has fewer attributes.", "Check clients that depend on it."),
    # misc
    "nginx/invalid-value": _approx(
        "An annotation value is not valid for ingress-nginx; it is ignored (as by nginx).",
        "nginx ignores invalid values and logs them.", "Fix the value in the chart."),
    "nginx/unknown-annotation": _approx(
        "An annotation under the nginx prefix is not an ingress-nginx annotation.",
        "Probably a typo, or from another version.", "Fix or remove it."),
    "nginx/mirror-target-unsupported": _approx(
        "mirror-target is external or uses variables; it is reported, not mirrored.",
        "RequestMirror needs a Service backendRef.", "Mirror to a Service."),
    "nginx/mirror-cross-namespace": _approx(
        "The mirror Service is in another namespace.",
        "It needs a ReferenceGrant.", "Create a ReferenceGrant."),
    "nginx/server-alias-own-paths": _approx(
        "server-alias adds hostnames to the Ingress's routes.",
        "Gateway API has no alias; the names become extra hostnames (and listeners).",
        "Nothing to do."),
    "nginx/ssl-passthrough": _approx(
        "ssl-passthrough became a TLSRoute with a TLS passthrough listener.",
        "Every other annotation and all paths stop applying, as in nginx.", "Nothing to do."),
    "nginx/ssl-passthrough-no-host": _approx(
        "ssl-passthrough without a host cannot be routed by SNI; the Ingress is kept.",
        "TLSRoute needs a hostname.", "Set a host."),
}


def _reported() -> dict[str, Entry]:
    """``nginx/<annotation>-not-converted``: one per reported annotation, from the table (its
    caveat is the explanation, so the text lives in one place)."""
    from gwshift.handlers import load

    out: dict[str, Entry] = {}
    for key, handler in load("nginx").table.items():
        for code in handler.codes:
            if code.endswith("-not-converted") and code not in ENTRIES:
                out[code] = Entry(
                    f"The ingress-nginx annotation {key} is reported, not converted: "
                    f"{handler.caveat.rstrip('.')}.",
                    "Portable Gateway API has no equivalent gwshift can emit; nothing is "
                    "generated for it and the note makes the difference visible.",
                    "Check whether the behaviour matters for this service; if it does, "
                    "configure it on the Gateway implementation or choose a --target that "
                    "expresses it.", ("--target",), _DOC)
    return out


ENTRIES.update({
    "nginx/controller-defaults": _approx(
        "ingress-nginx's controller-wide defaults (HSTS on HTTPS, 1m body limit, 60s "
        "read/send timeouts, retries on error/timeout) are not carried to the Gateway; said "
        "once per Gateway with HTTPS listeners.",
        "These come from the controller's ConfigMap, not from any annotation, so nothing in "
        "the Ingress shows them; the Gateway implementation applies its own defaults.",
        "Run with --nginx-defaults to express them where the target can (HSTS as a "
        "ResponseHeaderModifier, body size and timeouts through --target).",
        ("--nginx-defaults", "--target")),
    "nginx/controller-default-not-expressed": _approx(
        "--nginx-defaults asked for an ingress-nginx default (1m body limit, 5/60/60s "
        "timeouts) that the selected target cannot express.",
        "Only implementation policies carry body limits and connect/read/send timeouts.",
        "Pick a --target that has them (envoy-gateway, nginx-gateway-fabric ...) or set them "
        "on the Gateway implementation.", ("--nginx-defaults", "--target")),
    "nginx/backend-tls-verify-without-secret": _approx(
        "proxy-ssl-verify is on, but no proxy-ssl-secret gives the CA to verify with.",
        "ingress-nginx then writes no proxy_ssl_* directive at all: the backend TLS was "
        "unverified, so gwshift treats it as unverified (see nginx/backend-tls-unverified) "
        "instead of verifying against system CAs, which would break the backend.",
        "Add proxy-ssl-secret with the backend's CA (and proxy-ssl-name) to verify it."),
    "nginx/grpc-http-same-host": _approx(
        "A gRPC Ingress shares its host with an Ingress converted to an HTTPRoute; the gRPC "
        "Ingress is kept.",
        "Gateway API forbids accepting an HTTPRoute and a GRPCRoute for the same hostname "
        "(one is rejected); nginx served both from one server block.",
        "Serve gRPC on its own host, or convert both by hand to HTTPRoute with appProtocol "
        "kubernetes.io/h2c on the gRPC Service."),
    "nginx/server-alias-invalid": _approx(
        "A server-alias entry is not a Gateway API hostname (a DNS name, optionally '*.'); "
        "it is left out of the routes.",
        "nginx takes regexes and loose names in server_name; an HTTPRoute hostname outside "
        "the CRD pattern would make the whole route invalid, so only that alias is not served.",
        "Fix the alias, or list each name it matched as its own alias."),
    "nginx/cors-max-age-capped": _approx(
        "cors-max-age is above 2147483647, the largest maxAge (int32) Gateway API holds; it is "
        "written as 2147483647.",
        "Browsers cache a preflight for hours at most (Chromium 2 h, Firefox 24 h), so both "
        "values behave the same.",
        "Use a smaller cors-max-age (nginx's default is 1728000)."),
})
ENTRIES.update(_reported())

# tcp-services / udp-services ConfigMaps (handlers/nginx/tcp_services.py). Appended as one
# block so the area stays one file per dialect.
_STREAM = "For a ConfigMap named by the controller's --tcp-services-configmap or " \
    "--udp-services-configmap flag (a Deployment/DaemonSet in the input). "
_STREAM_KEPT = " The ConfigMap is kept unconverted with an error (nothing is dropped silently)."
ENTRIES.update({
    "nginx/stream-services-converted": _approx(
        _STREAM + "Its entries became Gateway listeners {protocol TCP|UDP, port} with one "
        "TCPRoute/UDPRoute each (<configmap>-<port>); the ConfigMap is replaced like a "
        "converted Ingress. Also said (and the ConfigMap kept) when it has no entries.",
        "ingress-nginx opened each port for the Service named in the entry; a Gateway needs "
        "a listener per port. The ConfigMap is replaced so that a re-run finds the routes and "
        "generates nothing twice; only ConfigMaps a controller in the input names are touched "
        "(there is no name-pattern fallback: the ConfigMap alone does not say whether the "
        "controller reads it, TCP or UDP, or which class).",
        "Render the controller with the ConfigMap (the chart always does); --keep-ingress keeps "
        "the ConfigMap next to the routes.", ("--keep-ingress", "--dialect")),
    "nginx/stream-services-unsupported": _approx(
        _STREAM + "The ConfigMap has fields besides data the controller does not read (e.g. "
        "binaryData), or more entries than one Gateway has listeners (64).",
        "Replacing the ConfigMap would lose those fields; a Gateway with more than 64 "
        "listeners is invalid (and the entry count bounds the work on hostile input)."
        + _STREAM_KEPT,
        "Move the extra fields elsewhere, or split the entries over several controllers / "
        "convert them by hand."),
    "nginx/stream-service-invalid": _approx(
        _STREAM + "An entry is not `\"<port>\": \"<namespace>/<service>:<port>[:PROXY[:PROXY]]\"` "
        "with a port 1-65535 the controller does not reserve for itself (80, 443, 442, 8181, "
        "10245-10247, 10254 or its --http-port/--https-port ...), or two keys give one port.",
        "ingress-nginx skips such entries with a log line; converting the rest would hide the "
        "mistake, and guessing a port would route traffic somewhere new." + _STREAM_KEPT,
        "Fix or remove the entry named in the note's field (data[<key>])."),
    "nginx/stream-service-port-unresolved": _approx(
        _STREAM + "An entry names its Service port by name, and the Service is not in the "
        "input, so its number is unknown.",
        "A Gateway API backendRef needs a port number." + _STREAM_KEPT,
        "Render the Service with the chart, or give the number: --service-port "
        "<namespace>/<service>:<name>=<number>.", ("--service-port",)),
    "nginx/stream-service-not-served": _approx(
        _STREAM + "The Service is in the input but has no port with that number/name for the "
        "entry's protocol (TCP or UDP).",
        "ingress-nginx finds no endpoints for such an entry and serves nothing on the port; a "
        "route would start serving it." + _STREAM_KEPT,
        "Fix the entry (or the Service's port protocol), or remove it."),
    "nginx/stream-service-proxy-protocol-decode": _approx(
        _STREAM + "The entry's third field PROXY made nginx decode the PROXY protocol header "
        "clients (a load balancer) send (`listen ... proxy_protocol`).",
        "Gateway API has no field for the PROXY protocol; a listener that does not expect the "
        "header hands it to the backend as data.",
        "Enable PROXY protocol on the Gateway implementation (e.g. Envoy Gateway "
        "ClientTrafficPolicy proxyProtocol) or on the load balancer side.", ("--target",)),
    "nginx/stream-service-proxy-protocol-encode": _approx(
        _STREAM + "The entry's fourth field PROXY made nginx send a PROXY protocol header to "
        "the backend (`proxy_protocol on`).",
        "Gateway API has no field for it; a backend that requires the header refuses the "
        "connection, one that reads the client address from it loses it.",
        "Enable it on the Gateway implementation (e.g. Envoy Gateway BackendTrafficPolicy "
        "proxyProtocol), or stop requiring it in the backend.", ("--target",)),
    "nginx/stream-service-proxy-protocol-udp": _approx(
        _STREAM + "A UDP entry has PROXY fields.",
        "ingress-nginx applies PROXY protocol to TCP services only and ignores these fields on "
        "UDP; the UDPRoute ignores them too (same behaviour).",
        "Nothing to do; remove the fields to silence the note."),
    "nginx/stream-service-cross-namespace": _approx(
        _STREAM + "An entry's Service is in another namespace than the ConfigMap (the chart's "
        "usual case: the ConfigMap lives with the controller).",
        "The route lives in the ConfigMap's namespace, and a cross-namespace backendRef works "
        "only with a ReferenceGrant in the Service's namespace: gwshift writes the narrowest "
        "one (these route kinds from that namespace, these Services). A warning when the "
        "ConfigMap has no namespace and none is given: then no grant can be written.",
        "Review the ReferenceGrant; give --namespace when the ConfigMap has none.",
        ("--namespace",)),
    "nginx/stream-services-shared": _approx(
        _STREAM + "Several controllers in the input name the same ConfigMap.",
        "Each controller opened the ports; the listeners go to the Gateway of the first "
        "controller's class only.",
        "Give each controller its own ConfigMap, or attach the routes to the other Gateway by "
        "hand."),
})
