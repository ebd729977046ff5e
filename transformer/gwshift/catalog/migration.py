"""Explanations of the migration codes: compat/ (--gateway-api-version), cert-manager/,
external-dns/ (continuity after the cut-over) and generated names."""

from __future__ import annotations

from gwshift.catalog import Entry

_KEPT = "The Ingress stays in the output unchanged, so traffic keeps flowing as before."
_DOC = "migration.md"

ENTRIES: dict[str, Entry] = {
    # --- compat/: --gateway-api-version ------------------------------------------------
    "compat/unserved-kind": Entry(
        "A generated object's kind is not served by the chosen Gateway API release on the "
        "chosen channel at any apiVersion gwshift can write (e.g. TLSRoute before 1.5 on the "
        "standard channel, ListenerSet before 1.5, BackendTLSPolicy before 1.4 standard).",
        "Applying an object whose CRD the cluster does not serve fails the deploy, and "
        "leaving it out would route differently. " + _KEPT,
        "Install a newer Gateway API bundle and raise --gateway-api-version, or use the "
        "experimental channel (--channel experimental) where the release serves the kind.",
        ("--gateway-api-version", "--channel"), _DOC),
    "compat/unserved-field": Entry(
        "A generated object needs a field the chosen Gateway API release does not serve, and "
        "the field carries routing or security meaning (a CORS or ExternalAuth filter, a rule "
        "name a policy targets, Gateway infrastructure...).",
        "Dropping it would change who may call what or where requests go (fail closed). "
        + _KEPT,
        "Raise --gateway-api-version to the release the note names (\"served from\"), or "
        "remove the annotation that needs the field.",
        ("--gateway-api-version", "--channel"), _DOC),
    "compat/field-dropped": Entry(
        "An optional field the chosen release does not serve was left out; the note says "
        "what behaves differently (e.g. every request mirrored instead of a share).",
        "The field only tunes behaviour that the rest of the object keeps; the difference is "
        "stated so it can be accepted or fixed.",
        "Accept the difference, or raise --gateway-api-version to the release that serves "
        "the field.", ("--gateway-api-version", "--channel"), _DOC),
    "compat/rule-name-dropped": Entry(
        "A route rule's name was left out: the chosen release has no rule names and nothing "
        "targets this rule.",
        "Rule names only identify rules for policies and status; without a policy targeting "
        "it the route behaves the same.",
        "Nothing to do.", ("--gateway-api-version",), _DOC),
    "compat/api-version-downgraded": Entry(
        "A generated object is written at an older apiVersion the chosen release serves "
        "(TLSRoute/TCPRoute/UDPRoute v1alpha2 or v1alpha3, BackendTLSPolicy v1alpha3, "
        "ReferenceGrant v1beta1).",
        "The older version accepts every field gwshift writes with the same meaning, so the "
        "object works on the older bundle.",
        "Nothing to do; after upgrading the bundle, run gwshift with the new "
        "--gateway-api-version to write the newer apiVersion.",
        ("--gateway-api-version",), _DOC),
    "compat/field-renamed": Entry(
        "A Gateway field is written under the name the chosen release uses "
        "(spec.tls.backend.clientCertificateRef was spec.backendTLS.clientCertificateRef in "
        "1.2/1.3 experimental).",
        "Same meaning, older spelling: the bundle of that release validates the old name.",
        "Nothing to do.", ("--gateway-api-version",), _DOC),
    # --- cert-manager ----------------------------------------------------------------------
    "cert-manager/annotation-moved": Entry(
        "A cert-manager.io annotation of the Ingress was moved to the generated Gateway (or "
        "ListenerSet) whose HTTPS listeners serve the Ingress's TLS hosts.",
        "cert-manager's gateway-shim reads the same annotations from Gateways and issues one "
        "Certificate per Secret from the listeners' hostnames, so certificates keep renewing "
        "after the Ingress is gone.",
        "Enable cert-manager's Gateway API support (config.enableGatewayAPI / "
        "--enable-gateway-api; ListenerSets need cert-manager 1.20+).", doc=_DOC),
    "cert-manager/issuer-conflict": Entry(
        "Several Ingresses served by one Gateway have different cert-manager annotations; "
        "the Gateway takes those of the first Ingress by namespace/name.",
        "A Gateway has one set of annotations for all its listeners, so one issuer issues "
        "every certificate it serves.",
        "Use one issuer for the Ingresses of a class and namespace, or give them different "
        "classes (one Gateway each).", doc=_DOC),
    "cert-manager/unmanaged-secret": Entry(
        "A Gateway that gets cert-manager annotations also serves a Secret of an Ingress "
        "without them: cert-manager will issue that Secret too.",
        "The gateway-shim issues every Secret named by the Gateway's HTTPS listeners; a "
        "certificate provisioned by hand would be replaced.",
        "Give that Ingress another class (its own Gateway), or let cert-manager manage the "
        "Secret.", doc=_DOC),
    "cert-manager/hostless-listener": Entry(
        "A TLS Secret of a cert-manager Ingress ends up on a listener without hostname (a "
        "TLS entry without hosts).",
        "cert-manager skips listeners without hostname: that certificate would not renew.",
        "List the hosts in the Ingress's spec.tls[].hosts.", doc=_DOC),
    "cert-manager/parallel-run": Entry(
        "With --keep-ingress, the Ingress keeps owning its Certificates until it is removed.",
        "cert-manager does not update a Certificate another object owns; when the Ingress is "
        "deleted its Certificate is garbage-collected and the gateway-shim re-creates it for "
        "the Gateway. The Secret stays, unless cert-manager runs with "
        "--enable-certificate-owner-ref (then it is re-issued).",
        "Nothing to do; check `kubectl get certificate` after removing the Ingress.",
        ("--keep-ingress",), _DOC),
    "cert-manager/tls-acme": Entry(
        "kubernetes.io/tls-acme asks cert-manager's default issuer for a certificate; "
        "cert-manager honours it on Ingresses only.",
        "The Gateway needs the issuer named; without it certificates stop renewing after the "
        "cut-over.",
        "Add cert-manager.io/cluster-issuer (or issuer) with the default issuer's name to the "
        "Ingress and run gwshift again.", doc=_DOC),
    "cert-manager/tls-acme-not-needed": Entry(
        "kubernetes.io/tls-acme is not moved because an issuer annotation is moved.",
        "The gateway-shim reads the issuer annotation; tls-acme means nothing on a Gateway.",
        "Nothing to do.", doc=_DOC),
    "cert-manager/ingress-only-annotation": Entry(
        "An acme.cert-manager.io/http01-* annotation configures cert-manager's Ingress-based "
        "HTTP-01 solver, which does not apply to Gateways.",
        "With Gateways, HTTP-01 challenges are answered by an HTTPRoute the Issuer's "
        "gatewayHTTPRoute solver creates.",
        "Add a gatewayHTTPRoute solver (parentRefs: the generated Gateway) to the Issuer, or "
        "use DNS-01.", doc=_DOC),
    "cert-manager/existing-gateway": Entry(
        "The routes attach to an existing Gateway (--gateway), which gwshift does not modify, "
        "so the cert-manager annotations cannot move.",
        "Certificates come from the Gateway's listeners and annotations; without them the "
        "certificates of this Ingress stop renewing after the cut-over.",
        "Put the annotations the note names on the existing Gateway, with an HTTPS listener "
        "per host, or use --listener-set.", ("--gateway", "--listener-set"), _DOC),
    # --- external-dns ----------------------------------------------------------------------
    "external-dns/annotation-moved": Entry(
        "An external-dns annotation moved where external-dns's Gateway sources read it: "
        "target on the Gateway (or ListenerSet), every other one on the routes "
        "(ingress-hostname-source becomes gateway-hostname-source).",
        "external-dns reads only target from Gateways and only the others from routes.",
        "Run external-dns with the Gateway sources (--source=gateway-httproute, "
        "gateway-grpcroute ...; --gateway-listener-sets for ListenerSets).", doc=_DOC),
    "external-dns/target-conflict": Entry(
        "Several Ingresses served by one Gateway name different external-dns targets; the "
        "Gateway takes the first by namespace/name.",
        "A Gateway has one target annotation for all its routes.",
        "Use one target per class and namespace, or give the Ingresses different classes.",
        doc=_DOC),
    "external-dns/existing-gateway": Entry(
        "The external-dns target annotation cannot move onto an existing Gateway "
        "(--gateway), which gwshift does not modify.",
        "external-dns reads the target from the Gateway only.",
        "Put the annotation on the existing Gateway.", ("--gateway",), _DOC),
    "external-dns/parallel-run": Entry(
        "With --keep-ingress, the Ingress keeps its DNS records until it is removed.",
        "When the Ingress and the routes claim the same name, external-dns keeps the record "
        "with the object that owns it; after the Ingress is deleted the routes take it over.",
        "Compare both paths (gwshift verify), then remove the Ingress to move DNS.",
        ("--keep-ingress",), _DOC),
    # --- names -------------------------------------------------------------------------------
    "gateway/new-address": Entry(
        "A Gateway is generated for Ingresses of a Helm release (label "
        "app.kubernetes.io/instance, or release with heritage: Helm): implementations usually "
        "give it a new load balancer and address. When every Ingress of the Gateway belongs "
        "to one release it is named <release>-<class>; when they belong to several releases, "
        "or some carry no release label, it keeps the class name, which another release "
        "converted on its own in the namespace would generate too.",
        "Helm renders and owns each release on its own and refuses an object of another "
        "release, so two releases must not both generate the same Gateway; DNS must move to "
        "the new address at the cut-over.",
        "Nothing to do for a release-named Gateway (or attach to a shared Gateway with "
        "--gateway); otherwise convert each release on its own (the Helm post-renderer "
        "does), name Gateways with --name-template, or use --gateway.",
        ("--name-template", "--gateway"), _DOC),
    "gateway/name-template-shared": Entry(
        "--name-template gives this Ingress's Gateway another name than the one its group "
        "(namespace and class) uses.",
        "One Gateway serves a namespace and class; it is named from its first Ingress.",
        "Run gwshift once per release (the Helm post-renderer does), or drop the per-Ingress "
        "variables from the Gateway name.", ("--name-template",), _DOC),
}
