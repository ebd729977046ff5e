"""``explain`` entries for the Kong dialect's note codes: code -> meaning, why, todo."""

from __future__ import annotations


def _e(meaning: str, why: str, fix: str) -> dict[str, str]:
    return {"meaning": meaning, "why": why, "fix": fix}


_REPORTED = {
    "path-handling": "Kong's path joining versions have no Gateway API form.",
    "request-buffering": "Buffering is the implementation's.",
    "response-buffering": "Buffering is the implementation's.",
    "override": "KongIngress overrides are deprecated (removed in Kong Operator 2.0).",
    "tags": "Kong entity tags have no Gateway API form.",
    "snis": "HTTPS listeners follow the route hostnames and their certificates.",
    "regex-priority": "Gateway API orders regex matches in an implementation-specific way.",
    "retries": "Kong retried failed connections; HTTPRoute retry is experimental and by "
               "status code.",
    "upstream-policy": "KongUpstreamPolicy (hashing, health checks) is implementation-specific.",
    "tls-verify-depth": "Verification depth is the implementation's.",
}

ENTRIES: dict[str, dict[str, str]] = {
    **{f"kong/{k}-not-converted": _e(f"konghq.com/{k} is not converted.", why,
                                     "Check whether the target needs an equivalent setting.")
       for k, why in _REPORTED.items()},
    "kong/unknown-annotation": _e(
        "A konghq.com/* key that KIC 3.x does not define (on the Ingress or the Service).",
        "Kong ignores unknown keys; gwshift reports them so typos are seen.",
        "Fix or remove the key."),
    "kong/invalid-value": _e(
        "An annotation value Kong would reject or ignore.",
        "Converting a value Kong never applied would change behaviour.",
        "Fix the value in the source manifest."),
    "kong/invalid-method": _e(
        "konghq.com/methods names a method HTTPRoute cannot match; the Ingress is kept.",
        "Dropping the method match would accept every method.",
        "Use methods from GET HEAD POST PUT DELETE CONNECT OPTIONS TRACE PATCH."),
    "kong/too-many-matches": _e(
        "Methods x header values exceed the 64 matches of an HTTPRoute rule; kept.",
        "Every combination is one match.", "Reduce the alternatives."),
    "kong/header-match-case": _e(
        "Header matches became case-sensitive.",
        "Kong compared plain header values without regard to case.",
        "Check clients send the exact case, or use a `~*` regex value."),
    "kong/regex-path": _e(
        "A Kong regex path (/~ prefix) became a RegularExpression match.",
        "Kong anchors at the start and searches; Gateway implementations match the whole "
        "path, so `.*` is appended.", "Check the pattern on the target implementation."),
    "kong/http-only-serves-https": _e(
        "konghq.com/protocols is http only, yet the routes stay on the HTTPS listeners.",
        "Kong's default router flavor (traditional_compatible) has no protocol predicate for "
        "HTTP routes (kong/router/transform.lua get_expression), and kong/runloop/handler.lua "
        "only refuses plain HTTP on HTTPS-only routes: Kong served HTTPS for these hosts.",
        "Nothing if Kong ran with its default router; with router_flavor expressions Kong "
        "refused HTTPS (net.protocol == \"http\"): remove the HTTPS parentRefs by hand."),
    "kong/https-only": _e(
        "HTTPS-only route: not attached to HTTP listeners.",
        "Kong answered plain HTTP with 426, which Gateway API cannot send; clients get 404.",
        "Set konghq.com/https-redirect-status-code for a redirect."),
    "kong/tls-secret-placeholder": _e(
        "An HTTPS listener references a Secret named after the host that gwshift cannot see.",
        "Kong served the host with its default certificate; a listener needs a Secret.",
        "Create that Secret or add spec.tls to the Ingress."),
    "kong/protocols-unsupported": _e(
        "konghq.com/protocols names stream or unknown protocols on an Ingress; kept.",
        "Stream routes come from TCPIngress/UDPIngress.", "Fix the protocols list."),
    "kong/protocols-mixed": _e(
        "gRPC and HTTP protocols together: converted as an HTTPRoute.",
        "A route is either an HTTPRoute or a GRPCRoute.", "Split the Ingress if needed."),
    "kong/grpc-paths": _e(
        "Paths of a gRPC Ingress lead to different backends; the Ingress is kept.",
        "GRPCRoute matches services and methods, not paths.",
        "Give each backend its own host, or write GRPCRoute method matches by hand."),
    "kong/grpc-paths-dropped": _e(
        "GRPCRoute has no path match: the paths now match every gRPC method.",
        "GRPCRoute matches services and methods.", "Add method matches by hand if needed."),
    "kong/grpc-filter-unsupported": _e(
        "A GRPCRoute cannot carry the filters the annotations asked for; kept.",
        "GRPCRoute has header modifiers, mirror and ExtensionRef filters only.",
        "Remove the path/redirect settings or split the Ingress."),
    "kong/strip-path-regex": _e(
        "strip-path or a Service path on a regex path; the Ingress is kept.",
        "URLRewrite can replace a prefix or the full path, not a regex match.",
        "Use a prefix path, or rewrite on the target by hand."),
    "kong/strip-path-mixed": _e(
        "A rule's matches would need different path rewrites; kept.",
        "One URLRewrite per rule.", "Split the paths into separate Ingress paths."),
    "kong/service-path-mixed": _e(
        "Backends of one rule carry different konghq.com/path values; kept.",
        "One URLRewrite per rule.", "Give the Services the same path."),
    "kong/rewrite-captures": _e(
        "konghq.com/rewrite uses capture references; the Ingress is kept.",
        "URLRewrite replaces with literals only.", "Use a literal rewrite."),
    "kong/preserve-host-approximated": _e(
        "preserve-host false became a Host rewrite to <service>.<namespace>.svc.",
        "Kong sent its upstream name as Host.", "Check the backend accepts that Host."),
    "kong/plugin": _e(
        "A Kong plugin stays a KongPlugin/KongClusterPlugin (ExtensionRef) and may control "
        "access.",
        "It is not in the input, or has no portable form; only a Kong target attaches it, "
        "elsewhere the source is kept (fail closed).",
        "Use --target kong, put the plugin in the input, or allow the drop with "
        "--allow-insecure-drop kong/plugin."),
    "kong/plugin-dropped": _e(
        "A plugin that controls no access (logging, metrics, transformers beyond headers) has "
        "no portable form.", "Only a Kong target attaches it; elsewhere its effect is lost.",
        "Use --target kong or reproduce it on the target."),
    "kong/plugin-approximated": _e(
        "A plugin was translated with a small difference (said in the note).",
        "Gateway API filters are not identical to Kong's plugins.", "Read the note."),
    "kong/ip-restriction": _e(
        "An ip-restriction plugin became an IPAccess intent the target cannot express.",
        "Dropping it opens the routes to everyone.", "Use a target with IP policies."),
    "kong/rate-limiting": _e(
        "A rate-limiting plugin became a RateLimit intent the target cannot express.",
        "Dropping it removes abuse protection.", "Use a target with rate limits."),
    "kong/too-many-headers": _e(
        "More than 16 header changes on one rule; kept.",
        "HTTPRoute header modifiers hold at most 16 entries each.", "Reduce the headers."),
    "kong/service-annotation-on-ingress": _e(
        "A Service annotation written on the Ingress.",
        "Kong reads it from the backend Service; on the Ingress it had no effect.",
        "Move it to the Service if it was meant to apply."),
    "kong/backend-tls": _e(
        "The backend Service is served over TLS (konghq.com/protocol https/grpcs).",
        "Recorded as a BackendTLS intent; a target without backend TLS warns.",
        "Create a BackendTLSPolicy or pick a target that expresses it."),
    "kong/backend-tls-hostname": _e(
        "Backend TLS verifies the Service's cluster DNS name (no konghq.com/host-header).",
        "BackendTLSPolicy needs the name to verify.",
        "Set konghq.com/host-header on the Service, or fix the BackendTLSPolicy hostname."),
    "kong/backend-h2c": _e(
        "A gRPC upstream.", "Gateway API selects HTTP/2 by the Service port appProtocol.",
        "Set appProtocol: kubernetes.io/h2c on the Service port."),
    "kong/protocol-stream": _e(
        "A stream protocol on a Service used by an Ingress.",
        "It applies to TCPIngress/UDPIngress routes only.", "Nothing."),
    "kong/timeout-approximated": _e(
        "Kong's connect/write/read timeouts became one request timeout (their sum).",
        "Gateway API has total timeouts, Kong per-operation idle timeouts.",
        "Check long-running responses and streams."),
    "kong/stream-ingress-invalid": _e(
        "A TCPIngress/UDPIngress without a name; kept.", "gwshift converts valid objects only.",
        "Fix the object."),
    "kong/stream-ingress-unsupported": _e(
        "A TCPIngress/UDPIngress field gwshift cannot convert (outside the CRD, a duplicate "
        "port, a TLS host without a Secret); the object is kept.",
        "Converting part of it would change what is served.", "Fix the field in the note."),
}
