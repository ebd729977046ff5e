"""Shared inputs and runners for the hostile-input tests (issue 7)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

from gwshift.core import Outcome, transform
from gwshift.settings import Settings

INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
  - host: a.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
"""

CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: shop
data:
  script: |
    #!/bin/sh
    echo "kind: Ingress"
  plain: value
"""

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        image: nginx:1.27
"""


class Run(NamedTuple):
    rc: int
    stdout: bytes
    stderr: str


def cli(data: bytes, *args: str, cwd: Path | None = None, timeout: float = 60,
        limit_as: int | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``python -m gwshift`` with data on stdin (optionally under an address-space limit)."""
    preexec = None
    if limit_as is not None:
        def preexec() -> None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))

    proc = subprocess.run(
        [sys.executable, "-m", "gwshift", *args], input=data, capture_output=True,
        cwd=cwd, timeout=timeout, preexec_fn=preexec, env={**os.environ, **(env or {})},
        check=False,
    )
    return Run(proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace"))


def core(text: str, **settings: object) -> Outcome:
    return transform(text, Settings(**settings))  # type: ignore[arg-type]


def ingress(**repl: str) -> str:
    """INGRESS with literal text replacements: ingress(**{"number: 80": "number: 70000"})."""
    text = INGRESS
    for old, new in repl.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def stream(*docs: str) -> str:
    return "".join("---\n" + d for d in docs)


def kinds_names(text: str) -> list[tuple[str, str | None, str | None]]:
    """(kind, namespace, name) of every object in a YAML stream (via PyYAML safe load)."""
    import yaml

    out = []
    for doc in yaml.safe_load_all(text):
        if isinstance(doc, dict) and isinstance(doc.get("metadata"), dict):
            m = doc["metadata"]
            out.append((doc.get("kind"), m.get("namespace"), m.get("name")))
    return out
