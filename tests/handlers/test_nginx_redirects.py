"""handlers/nginx/redirects.py: the ssl-redirect split, linear in hosts (issue 19)."""

from __future__ import annotations

import yaml
from gwshift.core import transform
from gwshift.settings import Settings


def _ingress(n: int) -> str:
    rules = [{"host": f"h{i}.example.com", "http": {"paths": [{"path": "/", "pathType": "Prefix",
              "backend": {"service": {"name": "web", "port": {"number": 80}}}}]}}
             for i in range(n)]
    # h0: a Secret; h1: a TLS entry without secretName; h2..: no TLS entry
    tls = [{"hosts": ["h0.example.com"], "secretName": "s0"}, {"hosts": ["h1.example.com"]}]
    return yaml.safe_dump({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                           "metadata": {"name": "web", "namespace": "shop"},
                           "spec": {"ingressClassName": "nginx", "tls": tls, "rules": rules}})


def test_redirect_split_per_host() -> None:
    out = transform(_ingress(4), Settings())
    routes = {d["metadata"]["name"]: d for d in yaml.safe_load_all(out.text)
              if d and d.get("kind") == "HTTPRoute"}
    # only the host with a certificate is redirected; h1 (no Secret) is served on HTTP
    assert routes["web-redirect"]["spec"]["hostnames"] == ["h0.example.com"]
    sections = sorted(p["sectionName"] for p in routes["web"]["spec"]["parentRefs"])
    assert "https-h0-example-com" in sections and "http-h0-example-com" not in sections
    assert {"http-h1-example-com", "http-h2-example-com", "http-h3-example-com"} <= set(sections)
    assert "nginx/ssl-redirect-no-certificate" in {n.code for n in out.notes}


def test_many_tls_hosts_split_the_same_way() -> None:
    # the same split with thousands of hosts (was quadratic: list membership per host)
    out = transform(_ingress(2000), Settings())
    redirect = [d for d in yaml.safe_load_all(out.text)
                if d and d.get("metadata", {}).get("name") == "web-redirect"]
    assert redirect[0]["spec"]["hostnames"] == ["h0.example.com"]
