"""Deterministic generator of realistic rendered Kubernetes streams for benchmarks and tests.

    python bench/gen.py N [--seed S] [--ingress-ratio 0.1] [--krm] > stream.yaml

Mix per document: Deployment (~45%), Service (~25%), ConfigMap with block scalars (~20%,
a few of them large dashboards as real charts ship), Ingress with TLS and ingress-nginx
annotations (~10%). Like real charts, about half the Ingress backends name their Service
port (``port: {name: http}``), so the converter must look the Service up, and a third of the
Ingresses use regex paths with ``use-regex``/``rewrite-target``; every Service an Ingress
names is in the stream (same namespace). Document sizes follow the real corpus (median
about 800 bytes). ``--krm`` wraps the objects in a
``config.kubernetes.io/v1`` ResourceList. ``--chart DIR`` writes a Helm chart whose
``helm template`` renders the same documents (one template file per document).
"""

from __future__ import annotations

import argparse
import os
import random
import sys

_WORDS = ("api", "web", "cart", "auth", "search", "billing", "media", "queue", "admin", "feed")


def _name(rng: random.Random, i: int) -> str:
    return f"{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{i}"


def deployment(rng: random.Random, i: int, ns: str) -> str:
    name = _name(rng, i)
    env = "".join(
        f"        - name: VAR_{k}\n          value: \"{rng.randrange(10**6)}\"\n" for k in range(rng.randrange(2, 8))
    )
    return f"""# Source: app/templates/deployment-{i}.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/instance: release
    helm.sh/chart: app-1.2.3
spec:
  replicas: {rng.randrange(1, 5)}
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
      annotations:
        checksum/config: "{rng.getrandbits(128):032x}"
    spec:
      containers:
      - name: main
        image: "registry.example.com/{name}:1.{rng.randrange(50)}.{rng.randrange(9)}"
        ports:
        - name: http
          containerPort: 8080
        env:
{env}        resources:
          limits: {{cpu: 500m, memory: 256Mi}}
          requests: {{cpu: 100m, memory: 128Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
"""


def service(rng: random.Random, i: int, ns: str, name: str | None = None) -> str:
    name = name or _name(rng, i)
    return f"""# Source: app/templates/service-{i}.yaml
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {ns}
  labels:
    app.kubernetes.io/name: {name}
spec:
  type: ClusterIP
  ports:
  - name: http
    port: 80
    targetPort: http
    protocol: TCP
  - name: metrics
    port: 9090
    targetPort: 9090
  selector:
    app.kubernetes.io/name: {name}
"""


def configmap(rng: random.Random, i: int, ns: str) -> str:
    name = _name(rng, i)
    lines = "".join(f"    key{k} = {rng.randrange(10**9)}\n" for k in range(rng.randrange(3, 20)))
    script = "".join(f"    echo step {k}: $((RANDOM % {k + 2}))\n" for k in range(rng.randrange(2, 10)))
    return f"""# Source: app/templates/configmap-{i}.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  namespace: {ns}
data:
  app.ini: |
    [server]
    # kind: NotAKind (indented: never sniffed)
{lines}  start.sh: |-
    #!/bin/sh
    set -eu
{script}  folded: >
    a folded
    block scalar
"""


def dashboard(rng: random.Random, i: int, ns: str) -> str:
    """A large ConfigMap (a Grafana dashboard as JSON), as monitoring charts render."""
    name = _name(rng, i)
    panels = ",".join(
        f'{{"id": {k}, "type": "timeseries", "title": "panel {k}", "targets": [{{"expr": '
        f'"sum(rate(http_requests_total{{{{job=\\"{name}\\"}}}}[5m])) by (code)", '
        f'"refId": "A"}}], "gridPos": {{"h": 8, "w": 12, "x": {k % 2 * 12}, "y": {k * 8}}}}}'
        for k in range(rng.randrange(20, 60)))
    return f"""# Source: app/templates/dashboard-{i}.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}-dashboard
  namespace: {ns}
  labels:
    grafana_dashboard: "1"
data:
  {name}.json: |-
    {{"title": "{name}", "panels": [{panels}]}}
"""


def _port(rng: random.Random, number: int, plain: bool = False) -> str:
    if not plain and rng.random() < 0.5:
        return "name: http"
    return f"number: {number}"


def ingress(rng: random.Random, i: int, ns: str, services: tuple[str, str] | None = None,
            plain: bool = False) -> str:
    name = _name(rng, i)
    host = f"{name}.example.com"
    main, api = services or (name, f"{name}-api")
    if not plain and rng.random() < 0.33:
        return f"""# Source: app/templates/ingress-{i}.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
    nginx.ingress.kubernetes.io/rewrite-target: /$2
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - {host}
    secretName: {name}-tls
  rules:
  - host: {host}
    http:
      paths:
      - path: /api(/|$)(.*)
        pathType: ImplementationSpecific
        backend:
          service:
            name: {api}
            port:
              {_port(rng, 80)}
      - path: /static(/|$)(.*)
        pathType: ImplementationSpecific
        backend:
          service:
            name: {main}
            port:
              {_port(rng, 80)}
"""
    return f"""# Source: app/templates/ingress-{i}.yaml
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: {ns}
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
    nginx.ingress.kubernetes.io/proxy-body-size: "{rng.randrange(1, 64)}m"
    nginx.ingress.kubernetes.io/proxy-read-timeout: "{rng.randrange(10, 300)}"
spec:
  ingressClassName: nginx
  tls:
  - hosts:
    - {host}
    secretName: {name}-tls
  rules:
  - host: {host}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: {main}
            port:
              {_port(rng, 80, plain)}
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: {api}
            port:
              {_port(rng, 80, plain)}
"""


INGRESS_CLASS = """# Source: ingress-nginx/templates/controller-ingressclass.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
"""


def documents(n: int, seed: int = 1, ingress_ratio: float = 0.10,
              plain: bool = False) -> list[str]:
    """``plain``: the earlier, simpler mix (port numbers only, no regex, no dashboards, no
    Services for the Ingresses), which tests use to count exactly what is parsed."""
    rng = random.Random(seed)
    docs = [INGRESS_CLASS] if n else []
    rest = 1.0 - ingress_ratio
    pending: list[tuple[str, str]] = []  # Services an Ingress named, not yet written
    for i in range(1, n):
        ns = f"team-{i % 7}"
        r = rng.random()
        if r < ingress_ratio and plain:
            docs.append(ingress(rng, i, ns, plain=True))
        elif r < ingress_ratio:
            svc = (f"web-{i}", f"api-{i}")
            docs.append(ingress(rng, i, ns, svc))
            pending.extend((ns, s) for s in svc)
        elif r < ingress_ratio + rest * 0.50:
            docs.append(deployment(rng, i, ns))
        elif r < ingress_ratio + rest * 0.78:
            # Services the Ingresses name come first, so every backend resolves.
            if pending:
                sns, sname = pending.pop()
                docs.append(service(rng, i, sns, sname))
            else:
                docs.append(service(rng, i, ns))
        elif not plain and rng.random() < 0.04:
            docs.append(dashboard(rng, i, ns))
        else:
            docs.append(configmap(rng, i, ns))
    docs.extend(service(rng, n + k, sns, sname) for k, (sns, sname) in enumerate(pending))
    return docs


def stream(n: int, seed: int = 1, ingress_ratio: float = 0.10, plain: bool = False) -> str:
    return "".join("---\n" + d for d in documents(n, seed, ingress_ratio, plain))


def resource_list(n: int, seed: int = 1, ingress_ratio: float = 0.10, plain: bool = False) -> str:
    """A KRM ResourceList of n items (each item re-indented under ``items:``)."""
    out = ["apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"]
    for d in documents(n, seed, ingress_ratio, plain):
        lines = [ln for ln in d.splitlines() if not ln.startswith("# Source")]
        out.append("- " + lines[0] + "\n")
        out.extend("  " + ln + "\n" for ln in lines[1:])
    return "".join(out)


def write_chart(path: str, n: int, seed: int = 1, ingress_ratio: float = 0.10) -> None:
    """A Helm chart whose ``helm template`` output holds the same n documents."""
    tdir = os.path.join(path, "templates")
    os.makedirs(tdir, exist_ok=True)
    with open(os.path.join(path, "Chart.yaml"), "w") as fh:
        fh.write("apiVersion: v2\nname: app\nversion: 1.2.3\n")
    with open(os.path.join(path, "values.yaml"), "w") as fh:
        fh.write("replicas: 1\n")
    for i, d in enumerate(documents(n, seed, ingress_ratio)):
        body = "\n".join(ln for ln in d.splitlines() if not ln.startswith("# Source")) + "\n"
        # Escape Go-template delimiters that appear in the generated text.
        body = body.replace("{{", "{{`{{`}}")
        with open(os.path.join(tdir, f"doc-{i:06d}.yaml"), "w") as fh:
            fh.write(body)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--ingress-ratio", type=float, default=0.10)
    p.add_argument("--krm", action="store_true")
    p.add_argument("--chart", metavar="DIR")
    a = p.parse_args(argv)
    if a.chart:
        write_chart(a.chart, a.n, a.seed, a.ingress_ratio)
        return 0
    sys.stdout.write(resource_list(a.n, a.seed, a.ingress_ratio) if a.krm else stream(a.n, a.seed, a.ingress_ratio))
    return 0


if __name__ == "__main__":
    sys.exit(main())
