"""Explanations of the implementation targets' codes (``target-<name>/...``).

A target's refusals are not codes of their own: a control a target cannot express keeps the
dialect's code (e.g. ``nginx/ip-access-control``) and the refusal reason is added to its
message. These entries cover what a target says about what it *did* express.
"""

from __future__ import annotations

from typing import Any

_DOC = "targets.md"
_TARGET = ("--target",)


def _e(meaning: str, why: str, fix: str) -> dict[str, Any]:
    return {"meaning": meaning, "why": why, "fix": fix, "flags": _TARGET, "doc": _DOC}


def _each(suffix: str, targets: tuple[str, ...], entry: dict[str, Any]) -> dict[str, Any]:
    return {f"target-{t}/{suffix}": entry for t in targets}


_NOT_WIDENED = _e(
    "The control was recorded at a scope this target cannot attach it to without covering "
    "more traffic than the source did, so it was not expressed.",
    "A policy must never be wider than the control it replaces: a per-route allowlist on a "
    "whole Gateway would change every other route.",
    "The run exits 1 and the output lacks this control: do not apply it as is. Keep the "
    "source Ingress for now, or add the control on the implementation by hand at the scope "
    "you want.")
_CLIENT_IP = _e(
    "The IP allow/deny list checks the client address the implementation detects.",
    "ingress-nginx took the client IP from the connection unless use-forwarded-headers or "
    "proxy-real-ip-cidr said otherwise; the implementations have their own setting for it.",
    "Behind a load balancer, configure the implementation's client-IP detection (Envoy Gateway "
    "ClientTrafficPolicy clientIPDetection, NGF NginxProxy rewriteClientIP, Traefik "
    "ipStrategy, Kong trusted_ips/real_ip_header) so the list sees the real client.")
_RATE = _e(
    "The per-client-IP rate limit was converted with a different algorithm.",
    "nginx's limit_req is a leaky bucket with a burst; the implementation counts with a token "
    "bucket or fixed windows, per proxy replica.",
    "Check the limits under load; raise or lower them if the first burst or the spacing of "
    "requests matters to your clients.")
_BASIC_SECRET = _e(
    "Basic authentication was converted, but the Secret must change for the target to read it.",
    "ingress-nginx reads htpasswd lines under the key 'auth'; each implementation reads its "
    "own key and accepts its own hash formats (Envoy Gateway: '.htpasswd', SHA only; Traefik: "
    "'users'). gwshift cannot re-hash passwords.",
    "Copy the htpasswd lines to the key the message names; re-create users whose hashes the "
    "target does not accept. Until then the route rejects every request (fails closed).")

ENTRIES: dict[str, dict[str, Any]] = {
    **_each("gateway-scope", ("envoy-gateway", "traefik", "kong", "gke", "aws"), _NOT_WIDENED),
    **_each("client-ip", ("envoy-gateway", "nginx-gateway-fabric", "traefik", "kong"),
            _CLIENT_IP),
    **_each("rate-limit", ("envoy-gateway", "traefik", "kong"), _RATE),
    **_each("basic-auth-secret", ("envoy-gateway", "nginx-gateway-fabric", "traefik"),
            _BASIC_SECRET),
    **_each("conflict", ("envoy-gateway", "nginx-gateway-fabric", "traefik"), _e(
        "Two controls of one kind (two basic auths, two external auths ...) reached the same "
        "route or rule; only the first was expressed.",
        "They cannot be combined into one object of the target, and nginx itself applied only "
        "one of them.",
        "Keep one of the two annotations (or the route and rule controls) in the source.")),
    **_each("auth-method", ("envoy-gateway", "traefik"), _e(
        "auth-method is not carried to the auth request.",
        "The implementation chooses the method of the auth request itself.",
        "Make the auth service accept the method the implementation sends.")),
    # --- Envoy Gateway ---------------------------------------------------------------------
    "target-envoy-gateway/auth-backend": _e(
        "The external auth URL points outside the cluster; it is reached through an Envoy "
        "Gateway Backend object.",
        "extAuth backendRefs name Services or Backends, not URLs.",
        "Run Envoy Gateway with the Backend API enabled (extensionApis.enableBackend)."),
    "target-envoy-gateway/auth-request-headers": _e(
        "The auth service receives fewer request headers than with nginx.",
        "Envoy sends an HTTP auth service Host, Method, Path, Content-Length, Authorization and "
        "the headers listed in headersToExtAuth; nginx's auth_request forwarded them all. "
        "gwshift adds Cookie (sessions of auth proxies) and the headers the source named.",
        "Add any other header your auth service needs to extAuth.headersToExtAuth."),
    "target-envoy-gateway/auth-signin": _e(
        "auth-signin (redirect to a login page on 401) is not carried.",
        "Envoy Gateway's extAuth returns the auth service's response; it has no sign-in "
        "redirect (its OIDC support is the native alternative).",
        "Let the auth service redirect itself, or move to SecurityPolicy oidc."),
    "target-envoy-gateway/body-size-buffer": _e(
        "The body size limit is enforced by BackendTrafficPolicy requestBuffer.",
        "Envoy Gateway limits bodies by buffering whole requests, which turns off WebSocket "
        "upgrades and breaks streaming uploads on the route.",
        "Remove requestBuffer from routes that carry WebSocket or streaming traffic; size "
        "ClientTrafficPolicy connection.bufferLimit to match the limit."),
    "target-envoy-gateway/body-size-grpc": _e(
        "The body size limit of a gRPC route was not expressed.",
        "requestBuffer (the only body limit) breaks gRPC streaming.",
        "Limit message sizes in the gRPC server instead."),
    "target-envoy-gateway/cookie-affinity": _e(
        "Sticky sessions became a consistent hash on the cookie.",
        "Envoy hashes the cookie to an endpoint; when endpoints change, some clients move. "
        "nginx kept a client on its backend until that backend went away.",
        "Accept the difference or use Gateway API sessionPersistence (experimental)."),
    "target-envoy-gateway/insecure-backend": _e(
        "Backend TLS that nginx did not verify (backend-protocol HTTPS/GRPCS without "
        "proxy-ssl-verify) is not verified on Envoy Gateway either: the rules' Service "
        "backendRefs become Envoy Gateway Backends <service>-<port>-insecure-tls with "
        "tls.insecureSkipVerify. As an error: the input has no namespace for the Backend's "
        "DNS name, and the source is kept.",
        "Gateway API BackendTLSPolicy always verifies; the Backend keeps nginx's (insecure) "
        "behaviour, no better and no worse. A Backend reaches the Service's cluster IP by "
        "DNS, so Envoy's per-Pod load balancing, session affinity, health checks and retries "
        "to other Pods do not apply.",
        "Enable the Backend API in the EnvoyGateway configuration (extensionApis.enableBackend: "
        "true). Better: give the backend a certificate you can verify and set proxy-ssl-verify "
        "on with proxy-ssl-secret and proxy-ssl-name (a BackendTLSPolicy then). Without a "
        "namespace in the input, pass --namespace."),
    "target-envoy-gateway/direct-response": _e(
        "An ALB fixed-response action became an Envoy Gateway HTTPRouteFilter directResponse "
        "on that rule (status code, content type, inline body).",
        "Gateway API has no direct response; Envoy Gateway answers it from the filter.",
        "Nothing to do."),
    "target-envoy-gateway/direct-response-scope": _e(
        "A fixed response was recorded somewhere other than one HTTPRoute rule (or twice on "
        "one), so it was not expressed; the source is kept.",
        "A directResponse filter answers the requests of one rule.",
        "Report a bug: the ALB dialect records one fixed response per rule."),
    "target-envoy-gateway/rewrite-kind": _e(
        "A regex rewrite was recorded on a route kind that has no rewrite filter.",
        "HTTPRouteFilter is an HTTPRoute filter only.",
        "Rewrite in the backend, or route the traffic as HTTP."),
    "target-envoy-gateway/timeouts": _e(
        "nginx's read and send timeouts became one stream idle timeout.",
        "Envoy has one idle timeout per stream for both directions; the larger value is kept.",
        "Check long uploads and slow responses still fit the timeout."),
    # --- NGINX Gateway Fabric --------------------------------------------------------------
    "target-nginx-gateway-fabric/listener-scope": _NOT_WIDENED,
    "target-nginx-gateway-fabric/gateway-snippets": _NOT_WIDENED,
    "target-nginx-gateway-fabric/snippets": _e(
        "nginx directives are carried by a SnippetsFilter on the rule.",
        "NGF policies target whole routes; a SnippetsFilter keeps a per-rule control per rule "
        "and carries allow/deny and limit_conn, which have no typed NGF policy.",
        "Run NGF with snippets enabled (nginxGateway.snippets.enable); otherwise the rule is "
        "not served."),
    # --- Traefik ---------------------------------------------------------------------------
    "target-traefik/body-size": _e(
        "The body size limit is a buffering Middleware.",
        "Traefik reads the whole body before forwarding it to enforce the limit.",
        "Set memRequestBodyBytes if large bodies should not be buffered on disk."),
    "target-traefik/connection-limit": _e(
        "The connection limit became a limit on concurrent requests per client IP.",
        "Traefik's inFlightReq counts requests; with HTTP/2 one connection carries many.",
        "Check clients using HTTP/2 stay within the limit."),
    "target-traefik/custom-errors": _e(
        "Custom error pages are served by Traefik's errors Middleware.",
        "Traefik asks the error Service for /{status}; nginx sent the original URI with X-Code, "
        "X-Format and X-Original-URI headers.",
        "Make the error Service answer /<status>; enable allowCrossNamespace for a Service in "
        "another namespace."),
    "target-traefik/forward-auth": _e(
        "External auth is a forwardAuth Middleware.",
        "Traefik tells the auth service about the request with X-Forwarded-* headers (nginx: "
        "X-Original-*), and its sign-in redirect carries no rd= return address.",
        "Check the auth service reads X-Forwarded-Uri/-Method (oauth2-proxy does)."),
    "target-traefik/middleware-namespace": _e(
        "The Middleware is in another namespace than the route; an ExtensionRef can only name "
        "one in the route's namespace.",
        "The filter still names it, so the rule answers 500 until the Middleware exists there "
        "(fail closed: an unknown Middleware may be authentication).",
        "Copy the Middleware into the route's namespace."),
    "target-traefik/middleware-group": _e(
        "The referenced Middleware uses the old traefik.containo.us API group.",
        "Traefik 3 removed that group; the ExtensionRef names traefik.io, so the object must "
        "exist there.",
        "Change the Middleware's apiVersion to traefik.io/v1alpha1."),
    # --- Kong ------------------------------------------------------------------------------
    "target-kong/plugin-namespace": _e(
        "The KongPlugin is in another namespace than the route; an ExtensionRef can only name "
        "one in the route's namespace.",
        "The filter still names it, so the rule fails until the plugin exists there (fail "
        "closed: an unknown plugin may be authentication).",
        "Copy the KongPlugin into the route's namespace, or make it a KongClusterPlugin."),
    # --- Istio -----------------------------------------------------------------------------
    "target-istio/backend-tls-secret": _e(
        "The DestinationRule reads its certificates from a Secret in the proxy's namespace.",
        "Istio resolves credentialName in the namespace of the gateway proxy.",
        "Copy the Secret named in the message to the Gateway's namespace."),
    "target-istio/destination-rule-scope": _e(
        "Backend TLS is a DestinationRule, which every mesh client of the Service uses.",
        "DestinationRules apply to a host, not to one route.",
        "Check other clients of the Service speak TLS to it too, or add a workloadSelector."),
    # --- GKE -------------------------------------------------------------------------------
    "target-gke/affinity-scope": _NOT_WIDENED,
    "target-gke/gateway-field": _e(
        "A setting of the Gateway itself (a static address, a listener TLS option) must be "
        "added to the generated Gateway.",
        "GKE reads it from the Gateway object; gwshift's Gateway emitter does not write "
        "implementation fields yet.",
        "Add the field named in the message to the Gateway (a kustomize patch or by hand)."),
    "target-gke/cookie-affinity": _e(
        "Session affinity uses a cookie the load balancer generates.",
        "GCPSessionAffinityPolicy cannot name the cookie or set its attributes.",
        "Clients that read the cookie by name must use the load balancer's cookie."),
    # --- AWS -------------------------------------------------------------------------------
    "target-aws/load-balancer": _e(
        "ALB settings went into a LoadBalancerConfiguration.",
        "The AWS Load Balancer Controller reads it only through the Gateway's (or its "
        "GatewayClass's) parametersRef; a Gateway gwshift generates names it in "
        "spec.infrastructure.parametersRef (an info note), an existing one (--gateway) or a "
        "ListenerSet does not (a warning: nothing in it applies until it is named).",
        "With --gateway, add spec.infrastructure.parametersRef (group gateway.k8s.aws, kind "
        "LoadBalancerConfiguration, the name in the note) to that Gateway."),
    "target-aws/source-ranges": _e(
        "The Gateway-wide IP allowlist became the load balancer's source ranges.",
        "The AWS Load Balancer Controller writes them into the ALB's security group, so other "
        "clients cannot open a connection; nginx answered them with 403.",
        "Nothing to do unless clients rely on the 403 response."),
    "target-envoy-gateway/kind": _e(
        "The policy cannot target this kind of route, so the control was not expressed.",
        "Envoy Gateway's CRDs list the route kinds each policy may target.",
        "Keep the source, or express the control on the Gateway by hand."),
    "target-aws/waf-by-name": _e(
        "The WAFv2 web ACL named by wafv2-acl-name went into wafV2.webACL as a name.",
        "The reference maps both wafv2-acl-arn and wafv2-acl-name to that field.",
        "If the controller rejects the name, put the web ACL's ARN there."),
    "target-aws/gateway-scope": _e(
        "An ALB load balancer setting was recorded on a route, where it would not apply.",
        "LoadBalancerConfiguration settings belong to the whole Gateway; the source is kept.",
        "Report a bug: the ALB dialect records load balancer settings on the Gateway."),
    "target-aws/route-scope": _e(
        "An ALB rule action (auth, fixed-response) was recorded on a Gateway.",
        "ListenerRuleConfiguration actions belong to listener rules; the source is kept.",
        "Report a bug: the ALB dialect records rule actions on routes and rules."),
    "target-aws/conflict": _e(
        "Two different values of one ALB setting meet on the same rule or listener.",
        "A listener has one SSL policy and a rule one authenticate and one final action; "
        "the ALB controller rejects such an IngressGroup too. The source is kept.",
        "Give the members of the IngressGroup the same value."),
    "target-aws/auth": _e(
        "ALB authentication (auth-type oidc/cognito) became a ListenerRuleConfiguration "
        "authenticate action on the rules of the Ingress.",
        "The AWS Load Balancer Controller Gateway authenticates per listener rule, like the "
        "Ingress controller; the OIDC client Secret keeps its clientID/clientSecret keys.",
        "Keep the listener HTTPS (ALB authenticates on HTTPS listeners only); a fixed-response "
        "rule authenticates first as well, as on the ALB."),
    "target-aws/fixed-response": _e(
        "An ALB fixed-response action became a ListenerRuleConfiguration fixed-response "
        "action on that rule.", "Gateway API has no direct response; the ALB does it itself.",
        "Nothing to do."),
    "target-aws/acm-certificate": _e(
        "The HTTPS listeners of hosts without a TLS Secret have no tls block; their ACM "
        "certificates (certificate-arn) are in the LoadBalancerConfiguration's "
        "listenerConfigurations.",
        "The AWS Load Balancer Controller reads no certificateRefs: it serves the certificates "
        "of the listenerConfiguration of the listener's port, as the ALB did.",
        "Make sure the Gateway's spec.infrastructure.parametersRef names the "
        "LoadBalancerConfiguration."),
    "target-aws/certificate-discovery": _e(
        "The HTTPS listeners of hosts without a TLS Secret or certificate-arn have no tls "
        "block; the controller discovers their ACM certificates by host name.",
        "The ALB Ingress discovered them by host name; the AWS Load Balancer Controller Gateway "
        "does the same from the listener's and routes' host names when no listenerConfiguration "
        "names a certificate for that port.",
        "Make sure an issued ACM certificate covers each host (or name it in certificate-arn)."),
    "target-aws/certificate-discovery-off": _e(
        "One Ingress of the load balancer relied on ACM discovery by host name while another "
        "names certificates (certificate-arn) for its HTTPS listeners.",
        "The ALB Ingress controller merged named and discovered certificates; the Gateway "
        "controller discovers none for a port whose listenerConfiguration names any, so those "
        "hosts would get another host's certificate. The Ingress is kept.",
        "Add the certificate ARNs of those hosts to certificate-arn (or give them TLS Secrets)."),
    "target-aws/certificate-missing": _e(
        "A certificate-arn of HTTPS hosts without a TLS Secret did not reach the "
        "LoadBalancerConfiguration.",
        "Their HTTPS listeners would have no certificate. The Ingress is kept.",
        "Report a bug: the ALB dialect records certificate-arn with its HTTPS ports."),
    "target-aws/source-ip": _e(
        "The IP allowlist became an ALB source-ip rule condition.",
        "An ALB condition decides whether a rule matches; clients outside the list fall "
        "through to other rules or the 404 default instead of getting a 403.",
        "Check no other rule of the listener serves those paths to everyone."),
}
