"""Deterministic generator of realistic rendered Kubernetes streams for benchmarks and tests.

    python bench/gen.py N [--seed S] [--ingress-ratio 0.1] [--krm] > stream.yaml

Mix per document: Deployment (~45%), Service (~25%), ConfigMap with block scalars (~20%),
Ingress with TLS and ingress-nginx annotations (~10%). ``--krm`` wraps the objects in a
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


def service(rng: random.Random, i: int, ns: str) -> str:
    name = _name(rng, i)
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


def ingress(rng: random.Random, i: int, ns: str) -> str:
    name = _name(rng, i)
    host = f"{name}.example.com"
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
            name: {name}
            port:
              number: 80
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: {name}-api
            port:
              number: 8080
"""


INGRESS_CLASS = """# Source: ingress-nginx/templates/controller-ingressclass.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
spec:
  controller: k8s.io/ingress-nginx
"""


def documents(n: int, seed: int = 1, ingress_ratio: float = 0.10) -> list[str]:
    rng = random.Random(seed)
    docs = [INGRESS_CLASS] if n else []
    rest = 1.0 - ingress_ratio
    for i in range(1, n):
        ns = f"team-{i % 7}"
        r = rng.random()
        if r < ingress_ratio:
            docs.append(ingress(rng, i, ns))
        elif r < ingress_ratio + rest * 0.50:
            docs.append(deployment(rng, i, ns))
        elif r < ingress_ratio + rest * 0.78:
            docs.append(service(rng, i, ns))
        else:
            docs.append(configmap(rng, i, ns))
    return docs


def stream(n: int, seed: int = 1, ingress_ratio: float = 0.10) -> str:
    return "".join("---\n" + d for d in documents(n, seed, ingress_ratio))


def resource_list(n: int, seed: int = 1, ingress_ratio: float = 0.10) -> str:
    """A KRM ResourceList of n items (each item re-indented under ``items:``)."""
    out = ["apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n"]
    for d in documents(n, seed, ingress_ratio):
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
