"""``explain`` entries for the Traefik dialect's note codes: code -> meaning, why, todo."""

from __future__ import annotations

_OBS = ("observability is configured on the Gateway implementation, not per route",
        "Configure access logs, metrics and tracing on the implementation.")


def _e(meaning: str, why: str, fix: str) -> dict[str, str]:
    return {"meaning": meaning, "why": why, "fix": fix}


ENTRIES: dict[str, dict[str, str]] = {
    "traefik/unknown-annotation": _e(
        "A traefik.ingress.kubernetes.io/* key that Traefik v3.7 does not define.",
        "Traefik ignores unknown keys; gwshift reports them so typos are seen.",
        "Fix or remove the key (Traefik v1 keys such as frontend.* are obsolete)."),
    "traefik/invalid-value": _e(
        "An annotation, IngressRoute or Middleware value Traefik would reject, ignore or apply "
        "broken (a redirectScheme port '²' redirects to a URL no client follows).",
        "Converting a value Traefik never applied would change behaviour. An invalid "
        "Middleware value keeps the Middleware as it is: a Traefik target attaches it, the "
        "others keep the source (a dropped HTTPS redirect would serve plain HTTP).",
        "Fix the value in the source manifest."),
    "traefik/custom-entrypoint": _e(
        "router.entrypoints / spec.entryPoints names an entry point other than web/websecure.",
        "Its port is Traefik static configuration, and custom entry points are often internal "
        "(dashboard, metrics, private ports); the public listeners could expose the routes.",
        "Attach the routes to a dedicated listener by hand, or accept the default listeners "
        "with --allow-insecure-drop traefik/custom-entrypoint."),
    "traefik/tls-secret-placeholder": _e(
        "An HTTPS listener references a Secret named after the host that gwshift cannot see.",
        "Traefik served the host over TLS with an ACME (certresolver) or default certificate; "
        "a Gateway listener needs a certificate Secret.",
        "Create that Secret (e.g. a cert-manager Certificate) or add spec.tls to the source."),
    "traefik/tls-on-web": _e(
        "router.tls on the plain-HTTP entry point.",
        "Traefik served TLS on port 80; Gateway API serves TLS on the HTTPS listener.",
        "Check clients use port 443."),
    "traefik/tls-options": _e(
        "router.tls.options / spec.tls.options references a TLSOption.",
        "A TLSOption may require client certificates (mTLS); listener TLS options are "
        "Gateway-wide and implementation-specific, so the source is kept (fail closed).",
        "Configure the Gateway's TLS (frontend validation) by hand, then allow the drop with "
        "--allow-insecure-drop traefik/tls-options."),
    "traefik/router-tls-certresolver-not-converted": _e(
        "router.tls.certresolver (ACME) is not converted.",
        "ACME is internal to Traefik.", "Issue the certificate with cert-manager."),
    "traefik/router-tls-domains-main-not-converted": _e(
        "router.tls.domains.n.main is not converted.",
        "Certificate domains come from the Secret; listener hostnames from the rules.",
        "Nothing, unless the certificate must cover more names."),
    "traefik/router-tls-domains-sans-not-converted": _e(
        "router.tls.domains.n.sans is not converted.",
        "Certificate domains come from the Secret; listener hostnames from the rules.",
        "Nothing, unless the certificate must cover more names."),
    "traefik/tls-domains-not-converted": _e(
        "IngressRoute spec.tls.domains is not converted.",
        "Certificate domains come from the Secret; listener hostnames from Host() matches.",
        "Nothing, unless the certificate must cover more names."),
    "traefik/router-priority-not-converted": _e(
        "router.priority is not converted.",
        "Gateway API route precedence is fixed (exact, longest prefix, more matches first).",
        "Check routes whose paths overlap still pick the intended backend."),
    "traefik/priority-not-converted": _e(
        "An IngressRoute route priority is not converted.",
        "Gateway API route precedence is fixed.", "Check overlapping routes."),
    "traefik/router-rulesyntax-not-converted": _e(
        "router.rulesyntax is not converted.", "The rule syntax version changes nothing here.",
        "Nothing."),
    "traefik/syntax-not-converted": _e(
        "An IngressRoute route syntax is not converted.",
        "gwshift reads both v2 and v3 matchers.", "Nothing."),
    "traefik/observability-not-converted": _e(
        "IngressRoute observability settings are not converted.", *_OBS),
    **{f"traefik/router-observability-{k}-not-converted": _e(
        f"router.observability.{k} is not converted.", *_OBS)
       for k in ("accesslogs", "metrics", "tracing", "traceverbosity")},
    "traefik/prefix-string-match": _e(
        "A Traefik PathPrefix became an HTTPRoute PathPrefix, which matches whole path "
        "elements: '/api' no longer serves '/apix', and '/api/' now serves '/api'.",
        "Traefik's PathPrefix is a string prefix (strings.HasPrefix in pkg/muxer/http/"
        "matcher.go); the Ingress provider's strictPrefixMatching, off by default, is what "
        "makes it element-wise. A RegularExpression match would keep the string prefix but is "
        "implementation-specific, so the portable PathPrefix is kept.",
        "Check no client relies on the string prefix (e.g. '/apix' or '/api.json' under "
        "'/api'); add paths for them if one does. Nothing to do if Traefik ran with "
        "strictPrefixMatching."),
    "traefik/rule-length-priority": _e(
        "A Prefix path outranked an Exact path of the same host in Traefik: Traefik sent the "
        "Exact path to the Prefix router, the HTTPRoute sends it to the Exact match.",
        "Traefik orders routers by rule length (pkg/muxer/http/mux.go GetRulePriority), so "
        "Host(h) && PathPrefix(\"/\") beats Host(h) && Path(\"/api\"); Gateway API always "
        "prefers an Exact match.",
        "Usually the HTTPRoute does what was meant; if clients relied on Traefik's choice, "
        "remove the Exact path."),
    "traefik/query-v3-syntax": _e(
        "An IngressRoute match uses Query(`k=v`), the v2 form: Traefik v3 read it as a "
        "parameter named 'k=v', the HTTPRoute matches parameter k with value v.",
        "Traefik v3's Query takes the name and the value as two arguments (pkg/muxer/http/"
        "matcher.go); the one-argument form names the parameter. Ordinary requests never "
        "matched the v3 reading, so the conversion keeps the v2 meaning the author meant.",
        "Nothing if Traefik read the route as v2 (syntax: v2, core.defaultRuleSyntax v2); "
        "otherwise know that the converted route now matches '?k=v'."),
    "traefik/path-regexp": _e(
        "A PathRegexp became a RegularExpression path match padded with .*.",
        "Traefik searched the path with Go RE2; Gateway implementations match the whole path "
        "with their own regex dialect.", "Check the pattern on the target implementation."),
    "traefik/service-annotation-on-ingress": _e(
        "A service.* annotation on the Ingress.",
        "Traefik reads service.* annotations from the backend Service; on the Ingress they "
        "had no effect.", "Move it to the Service if it was meant to apply."),
    "traefik/backend-tls": _e(
        "The backend Service is served over HTTPS (serversscheme/scheme https).",
        "Recorded as a BackendTLS intent; a target without backend TLS warns.",
        "Create a BackendTLSPolicy (CA and hostname) or pick a target that expresses it."),
    "traefik/backend-tls-hostname": _e(
        "Backend TLS verifies the Service's cluster DNS name (<service>.<namespace>.svc).",
        "Traefik verified the address it dialled (no serverName); BackendTLSPolicy needs a "
        "hostname, and an unverified upstream is not expressible.",
        "Set the CA (ConfigMap) and hostname the backend certificate really has."),
    "traefik/backend-h2c": _e(
        "The backend speaks h2c.", "Gateway API selects h2c by the Service port appProtocol.",
        "Set appProtocol: kubernetes.io/h2c on the Service port."),
    "traefik/serverstransport-not-converted": _e(
        "A ServersTransport reference is not converted.",
        "CA, client certificate, insecureSkipVerify and timeouts have no portable form here.",
        "Configure backend TLS/timeouts on the target."),
    "traefik/load-balancing-not-converted": _e(
        "service.nativelb / nodeportlb is not converted.",
        "How the implementation reaches the Service is its own choice.", "Nothing."),
    "traefik/service-option-not-converted": _e(
        "An IngressRoute service option (healthCheck, strategy ...) is not converted.",
        "The implementation chooses these.", "Nothing, or configure them on the target."),
    "traefik/passhostheader-approximated": _e(
        "service.passhostheader false became a Host rewrite to <service>.<namespace>.svc.",
        "Traefik sent the server address as Host; Gateway API cannot name a pod address.",
        "Check the backend accepts that Host."),
    "traefik/passhostheader-not-converted": _e(
        "IngressRoute passHostHeader false is not converted.",
        "Gateway API passes the client's Host.", "Check the backend accepts it."),
    "traefik/sticky-experimental": _e(
        "Sticky cookies need sessionPersistence (experimental channel); not emitted.",
        "The standard channel has no session persistence.",
        "Use --channel experimental if the implementation supports it."),
    "traefik/sticky-cookie-attribute-lost": _e(
        "Cookie attributes (secure, httponly, samesite, domain, path) are not converted.",
        "Gateway API cannot set them.", "Check the implementation's defaults."),
    "traefik/middleware": _e(
        "A Middleware stays a Traefik Middleware (ExtensionRef) and may control access.",
        "It is not in the input, or its kind has no portable form; only a Traefik target "
        "attaches it, elsewhere the source is kept (fail closed).",
        "Use --target traefik, put the Middleware in the input, or allow the drop with "
        "--allow-insecure-drop traefik/middleware."),
    "traefik/middleware-dropped": _e(
        "A Middleware that controls no access (compress, retry ...) has no portable form.",
        "Only a Traefik target can attach it; elsewhere the routes lose its effect.",
        "Use --target traefik or reproduce it on the target."),
    "traefik/middleware-provider": _e(
        "A middleware from another Traefik provider (@file, @docker ...).",
        "No Gateway API object can reference it, and it may be authentication.",
        "Recreate it as a Middleware CRD, or allow the drop with --allow-insecure-drop "
        "traefik/middleware-provider."),
    "traefik/middleware-approximated": _e(
        "A Middleware was translated with a small difference (said in the note).",
        "Gateway API filters are not identical to Traefik's middlewares.",
        "Read the note; usually nothing."),
    "traefik/middleware-path-unsupported": _e(
        "A path middleware cannot be expressed on this rule (regex match, or a prefix longer "
        "than the matched path); the source is kept.",
        "One URLRewrite replaces the matched prefix or the full path only.",
        "Split the path so each rule matches the stripped prefix."),
    "traefik/redirect-scheme-noop": _e(
        "redirectScheme on a route served on the target scheme only: never redirects.",
        "Traefik redirects only requests not already on that scheme.", "Nothing."),
    "traefik/too-many-headers": _e(
        "More than 16 headers to set or remove on one rule.",
        "HTTPRoute header modifiers hold at most 16 entries each.",
        "Reduce the headers or use a target policy."),
    "traefik/ip-allowlist": _e(
        "An ipAllowList Middleware became an IPAccess intent the target cannot express.",
        "Gateway API has no client-IP allowlist; dropping it opens the routes.",
        "Use a target with IP policies (envoy-gateway, traefik ...)."),
    "traefik/basic-auth": _e(
        "A basicAuth Middleware became a BasicAuth intent the target cannot express.",
        "Gateway API has no basic authentication; dropping it makes the routes public.",
        "Use a target with basic auth; check its Secret format (Traefik: key 'users')."),
    "traefik/forward-auth": _e(
        "A forwardAuth Middleware became an ExternalAuth intent the target cannot express.",
        "Dropping external authentication makes the routes public.",
        "Use a target with external auth."),
    "traefik/rate-limit": _e(
        "A rateLimit Middleware became a RateLimit intent the target cannot express.",
        "Dropping rate limits removes abuse protection.", "Use a target with rate limits."),
    "traefik/match-unsupported": _e(
        "An IngressRoute match expression has no HTTPRoute form; the IngressRoute is kept.",
        "Negation, ClientIP, HostRegexp and contradictory conditions cannot be matched.",
        "Rewrite the rule with Host/Path/PathPrefix/Header/Query/Method."),
    "traefik/ingressroute-invalid": _e(
        "The IngressRoute is malformed; it is kept.", "gwshift converts valid objects only.",
        "Fix the field named in the note."),
    "traefik/ingressroute-empty": _e(
        "The IngressRoute has no routes; it is kept.", "Nothing routes.", "Nothing."),
    "traefik/hostless-alternative": _e(
        "Alternatives without Host() became a route without hostnames.",
        "They match every host, as in Traefik.", "Nothing."),
    "traefik/cross-namespace-backend": _e(
        "An IngressRoute service in another namespace.",
        "Gateway API needs a ReferenceGrant in the Service's namespace.",
        "Create the ReferenceGrant."),
    "traefik/service-kind-unsupported": _e(
        "A TraefikService backend (weighted/mirroring) is not converted; the object is kept.",
        "It is a Traefik object with no portable form here.",
        "Replace it by Service backends with weights."),
}
