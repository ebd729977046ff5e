"""Explanations of the neutral codes: yaml/, ingress/, gateway/, config/."""

from __future__ import annotations

from gwshift.catalog import Entry

_KEPT = "The Ingress stays in the output unchanged, so traffic keeps flowing as before."

ENTRIES: dict[str, Entry] = {
    "yaml/invalid": Entry(
        "A document gwshift must read (an Ingress or other source kind, a List holding one, "
        "or a KRM ResourceList) could not be parsed or was refused.",
        "gwshift only rewrites what it can read completely; a broken document is left as it is "
        "rather than guessed at. " + _KEPT,
        "Fix the YAML of the document named in the note (render the chart and run a YAML "
        "linter on it), then run gwshift again.",
        doc="hostile-input.md"),
    "config/invalid": Entry(
        "The KRM functionConfig (IngressToGateway spec or ConfigMap data) has an invalid key "
        "or value.",
        "An option that is misread would silently change the output, so gwshift refuses the "
        "whole configuration and writes the items back unchanged.",
        "Correct the key named in the result's field.path; every key and its accepted values "
        "are listed in docs/options.md.",
        doc="options.md"),
    "config/strict": Entry(
        "strict is set in the functionConfig and the run produced warnings.",
        "With strict, warnings count as errors so that a pipeline stops on any approximation.",
        "Read the warnings above it; fix or accept them (--allow-insecure-drop for security "
        "codes), or unset strict.",
        ("--strict",), "options.md"),
    "ingress/unsupported-api-version": Entry(
        "An object of kind Ingress has an apiVersion gwshift does not read.",
        "Only networking.k8s.io/v1, networking.k8s.io/v1beta1 and extensions/v1beta1 are "
        "Ingress versions; another group is some other product's kind. It is kept.",
        "Nothing to do if the object is not a Kubernetes Ingress; otherwise render it with a "
        "supported apiVersion."),
    "ingress/invalid": Entry(
        "The Ingress is not valid (the API server would reject it), so it is not converted.",
        "Converting an invalid object would produce output whose meaning nobody defined. "
        + _KEPT,
        "Fix the field named in the note; `kubectl apply --dry-run=server` shows the same "
        "problem."),
    "ingress/invalid-host": Entry(
        "A rule's host is not a valid DNS name or wildcard, so it cannot be a Gateway API "
        "hostname.",
        "HTTPRoute hostnames must be RFC 1123 names (an optional leading `*.`). " + _KEPT,
        "Fix the host in the chart values."),
    "ingress/invalid-path": Entry(
        "A path cannot be written as an Exact or PathPrefix match (it does not start with `/`, "
        "or holds characters Gateway API refuses).",
        "Gateway API validates paths strictly; a path it refuses would make the whole route "
        "invalid. " + _KEPT,
        "Fix the path, or use pathType ImplementationSpecific with a regex-capable dialect."),
    "ingress/non-string-annotation": Entry(
        "An annotation value is not a string (for example an unquoted number or boolean).",
        "The API server only accepts strings in annotations; gwshift reads the value as the "
        "string it would be after quoting.",
        "Quote the value in the chart template (`{{ .Values.x | quote }}`)."),
    "ingress/non-string-label": Entry(
        "A label value is not a string.",
        "The API server only accepts strings in labels; gwshift reads the value as a string.",
        "Quote the value in the chart template."),
    "ingress/invalid-label-not-copied": Entry(
        "A label value is not a valid Kubernetes label value, so it is not copied to the "
        "generated objects.",
        "The generated objects must be accepted by the API server.",
        "Fix the label value (63 characters, alphanumerics, `-`, `_`, `.`)."),
    "ingress/resource-backend": Entry(
        "The Ingress routes to a resource backend (not a Service); it is kept as a backendRef "
        "of that kind.",
        "Gateway API backendRefs may name other kinds, but only some implementations support "
        "them.",
        "Check that your Gateway implementation supports that backend kind, or route to a "
        "Service."),
    "ingress/unresolved-port-name": Entry(
        "A backend names a Service port by name, and the Service is not in the input stream.",
        "Gateway API backendRefs need a port number; guessing one would route traffic to the "
        "wrong port. " + _KEPT,
        "Give the number with --service-port NAMESPACE/SERVICE:PORTNAME=NUMBER (also "
        "GWSHIFT_SERVICE_PORTS or functionConfig servicePorts), render the Service into the "
        "same stream, or use a port number in the Ingress.",
        ("--service-port",), "options.md"),
    "ingress/nothing-to-convert": Entry(
        "The Ingress has no paths and no defaultBackend.",
        "There is no route to generate; the Ingress is kept as it is.",
        "Nothing to do, unless the chart should render rules."),
    "ingress/class-not-selected": Entry(
        "The Ingress's class is not one of the classes selected with --ingress-class.",
        "Only the selected classes are converted; the others pass through unchanged.",
        "Add the class to --ingress-class (or drop the option) to convert it.",
        ("--ingress-class",)),
    "ingress/already-converted": Entry(
        "The stream already holds the objects gwshift generates for this Ingress.",
        "gwshift is idempotent: output fed back in is unchanged, nothing is added twice.",
        "Nothing to do."),
    "ingress/merged-into-kept-ingress": Entry(
        "This Ingress (usually a canary) was to be merged into another Ingress that is kept "
        "unconverted, so it is kept too.",
        "Converting only one of the pair would split traffic that nginx routes together.",
        "Resolve the note that keeps the other Ingress; this one then converts with it."),
    "ingress/annotation-not-converted": Entry(
        "An annotation of the Ingress's own controller has no Gateway API equivalent in "
        "gwshift; it is dropped.",
        "The generated objects cannot express it; the note makes the loss visible.",
        "Check whether the behaviour matters; the chosen --target may express it, or "
        "configure it on the Gateway implementation.",
        ("--target",), "targets.md"),
    "ingress/security-annotation-dropped": Entry(
        "A security annotation (access control, authentication, WAF ...) cannot be expressed, "
        "so the Ingress is kept unconverted (fail closed).",
        "Dropping an access control silently would open the service. " + _KEPT,
        "Choose a --target that expresses it, configure the control on the Gateway yourself "
        "and accept the loss with --allow-insecure-drop CODE, or keep the Ingress "
        "(--allow-kept lets the run exit 0 while it stays).",
        ("--target", "--allow-insecure-drop", "--allow-kept")),
    "ingress/allow-http-false": Entry(
        "The Ingress has kubernetes.io/ingress.allow-http: \"false\" (HTTPS only on GCE) and "
        "its controller may honour it; the Ingress is kept unconverted (fail closed).",
        "The generated routes attach to the Gateway's HTTP listener too, so converting would "
        "serve over plain HTTP what is HTTPS-only today. " + _KEPT,
        "Serve HTTP as a redirect to HTTPS (ssl-redirect) or give the Gateway no HTTP "
        "listener, then accept with --allow-insecure-drop ingress/allow-http-false, or keep the "
        "Ingress (--allow-kept).",
        ("--allow-insecure-drop", "--allow-kept")),
    "ingress/allow-http-ignored": Entry(
        "The Ingress has kubernetes.io/ingress.allow-http: \"false\", which only GCE reads; "
        "its controller serves HTTP anyway.",
        "The generated routes serve HTTP too, as the controller does today; the note says the "
        "annotation was seen, not silently skipped.",
        "Nothing to do; remove the annotation if HTTPS-only was meant and configure that on "
        "the Gateway."),
    "ingress/path-type-implementation-specific": Entry(
        "A path has pathType ImplementationSpecific and is converted as PathPrefix.",
        "Its meaning depends on the controller; PathPrefix is what most controllers do.",
        "Check the path; set pathType Prefix or Exact in the chart to make it explicit."),
    "ingress/default-backend-replaced": Entry(
        "The Ingress's defaultBackend does not become the '/' of a host, because a rule of "
        "that host already serves '/'.",
        "ingress-nginx uses the defaultBackend only where no path matches; an explicit '/' wins.",
        "Nothing to do; the note says which rule serves '/'."),
    "ingress/default-backend-shadowed": Entry(
        "Another rule serves '/' without a host too, so two routes claim the same requests.",
        "ingress-nginx used that rule; Gateway API gives the request to the older route, which "
        "may differ after the migration.",
        "Keep one catch-all: remove the defaultBackend or the hostless '/' rule."),
    "ingress/duplicate-host-path": Entry(
        "The same host, path and pathType are defined by two Ingresses of one class.",
        "Which one serves the requests depends on creation order, in ingress-nginx and in "
        "Gateway API alike; the converter cannot see that order.",
        "Keep the path in one Ingress."),
    "ingress/wildcard-host-depth": Entry(
        "A wildcard host (*.example.com) matched exactly one label in the Ingress; a Gateway API "
        "hostname also matches deeper names (a.b.example.com).",
        "The two specifications define wildcards differently.",
        "Check that deeper names should reach the same backend, or list the hosts."),
    "gateway/name-collision": Entry(
        "An object gwshift would generate already exists in the stream and was not generated "
        "from this Ingress.",
        "Overwriting someone else's object would change unrelated routing. " + _KEPT,
        "Rename one of them, or use --name-template to give generated objects other names.",
        ("--name-template",)),
    "gateway/invalid-output": Entry(
        "With --validate, an object generated for the Ingress fails the Gateway API CRD "
        "schema or CEL rules.",
        "Invalid output would fail the deploy. " + _KEPT,
        "Report it as a bug with the input; the message names the failing field.",
        ("--validate",)),
    "gateway/invalid-name": Entry(
        "--name-template gives a name for this source that is not a valid Kubernetes name "
        "(for example an upper-case release label).",
        "A generated object with an invalid name fails the deploy; the source is kept as it is.",
        "Change the template (jinja2 filters such as `lower` and `replace` help) or the value "
        "it reads.",
        ("--name-template",), "options.md"),
    "gateway/https-without-secret": Entry(
        "A TLS entry of the Ingress has no secretName, so no HTTPS listener is emitted for "
        "its hosts.",
        "A Gateway HTTPS listener needs a certificate reference.",
        "Set secretName in the Ingress TLS entry, give the certificate ingress-nginx served "
        "it with (its default one) with --default-certificate NAMESPACE/NAME, or attach to an "
        "existing Gateway that terminates TLS (--gateway).",
        ("--default-certificate", "--gateway"), "options.md"),
    "gateway/no-ingress-class": Entry(
        "The Ingress has no class and the stream has no default IngressClass; the Gateway "
        "uses gatewayClassName 'default'.",
        "A Gateway needs a GatewayClass name.",
        "Set --gateway-class TO (or FROM=TO) to the GatewayClass your cluster has.",
        ("--gateway-class",)),
    "gateway/tls-on-existing-gateway": Entry(
        "Routes attach to an existing Gateway (--gateway), which must serve the Ingress's TLS "
        "certificate.",
        "gwshift does not edit the existing Gateway.",
        "Add a listener for the hosts with the Secret to that Gateway, or use --listener-set.",
        ("--gateway", "--listener-set")),
    "gateway/allowed-routes-required": Entry(
        "Routes in another namespace attach to the existing Gateway.",
        "A Gateway only accepts routes its listeners allow (allowedRoutes.namespaces).",
        "Allow the routes' namespace on the Gateway's listeners.",
        ("--gateway",)),
    "gateway/allowed-listeners-required": Entry(
        "A ListenerSet attaches to the existing Gateway.",
        "A Gateway only accepts ListenerSets it allows (spec.allowedListeners).",
        "Set spec.allowedListeners.namespaces.from on the Gateway.",
        ("--listener-set",)),
    "gateway/object-conflict": Entry(
        "Two sources asked for the same generated policy object (same kind, namespace and "
        "name) with different contents; the first one is written.",
        "One Kubernetes object cannot hold two contents, and writing both would make the "
        "second silently replace the first at apply time.",
        "Make the two sources agree (e.g. the same backend TLS settings for one Service), or "
        "convert them in separate runs."),
    "gateway/shared-across-namespaces": Entry(
        "Ingresses of one class in several namespaces share one generated Gateway, written "
        "in one namespace; each listener admits routes from exactly the namespaces whose "
        "Ingresses serve its host (a namespace selector on kubernetes.io/metadata.name), and "
        "certificate Secrets of other namespaces are read through a ReferenceGrant there.",
        "ingress-nginx serves a host from one server block whatever the namespaces of its "
        "Ingresses; one Gateway per namespace would be several load-balancer addresses "
        "claiming one host, and TLS and the HTTPS redirect would be decided per namespace.",
        "Pick the Gateway's namespace with --gateway-namespace (default: the release "
        "namespace when it is one of them, else the first by name); or attach to a shared "
        "Gateway with --gateway.",
        ("--gateway-namespace", "--gateway", "--namespace"), "options.md"),
    "gateway/tls-certificate-order": Entry(
        "Several Ingresses with a rule for the host offer different certificate Secrets; the "
        "listener references one of them.",
        "ingress-nginx serves a host with the certificate of the first Ingress in its order "
        "(oldest creationTimestamp, then namespace/name descending); a render carries no "
        "timestamps, so gwshift assumes equal ones. Several certificateRefs on one listener "
        "are implementation-specific in Gateway API, so exactly one is referenced.",
        "Check which certificate should serve the host and remove the other TLS entry (or "
        "make both Secrets hold the same certificate)."),
    "ingress/tls-host-not-listed": Entry(
        "A rule host of an Ingress that has a tls section is not covered by any TLS entry "
        "naming a Secret. Without --default-certificate (a warning) it gets no HTTPS listener "
        "and no HTTPS redirect; with it (an info note naming the Secret) its HTTPS listener "
        "references that Secret, read through a ReferenceGrant when it is in another "
        "namespace, and ssl-redirect applies as to listed hosts.",
        "ingress-nginx served every rule host of such an Ingress over HTTPS, with the "
        "certificate of a listed Secret that names it or else its default certificate "
        "(--default-ssl-certificate), and redirected HTTP to HTTPS (ssl-redirect). A Gateway "
        "HTTPS listener needs a certificate (a Secret, or implementation options), and gwshift "
        "cannot read certificates or know the controller's default one unless told.",
        "List the host in spec.tls with a Secret whose certificate covers it (with "
        "cert-manager: add it to the entry's hosts), or pass the controller's default "
        "certificate with --default-certificate NAMESPACE/NAME, then convert again.",
        ("--default-certificate",), "options.md"),
    "gateway/default-certificate-http-only": Entry(
        "With --default-certificate, a rule host of an Ingress without a tls section is "
        "served on HTTP only.",
        "ingress-nginx answers HTTPS for every host with its default certificate (without "
        "redirecting HTTP when the Ingress has no tls section); a Gateway serves HTTPS only "
        "on the listeners it has, and gwshift adds them only for hosts of Ingresses with a "
        "tls section, as nginx's redirect does.",
        "If clients reach the host over HTTPS, add a tls entry for it to the Ingress (the "
        "default certificate's Secret, or its own) and convert again.",
        ("--default-certificate",), "options.md"),
    "gateway/default-certificate-cert-manager": Entry(
        "A generated Gateway carries cert-manager annotations (moved from its Ingresses) and "
        "a listener references the --default-certificate Secret in the Gateway's own "
        "namespace.",
        "cert-manager's gateway-shim issues a Certificate for every Secret a terminating "
        "listener of an annotated Gateway names in its namespace: it would overwrite the "
        "controller's default certificate with one for those hosts.",
        "List the hosts in spec.tls with their own Secret, or keep the default certificate "
        "in another namespace (the Gateway then reads it through a ReferenceGrant, which the "
        "gateway-shim ignores).",
        ("--default-certificate",), "options.md"),
    "gateway/cert-manager-cross-namespace": Entry(
        "The generated Gateway references certificate Secrets of other namespaces, and some "
        "of its Ingresses use cert-manager.",
        "cert-manager's gateway-shim rejects listeners whose certificateRefs name another "
        "namespace, so it would stop issuing (renewing) those Secrets once the Ingresses are "
        "gone.",
        "Create cert-manager Certificate objects for those Secrets in their namespaces, or "
        "put the Gateway in their namespace with --gateway-namespace.",
        ("--gateway-namespace",), "options.md"),
}
