"""The kustomize legacy exec transformer plugin: a shell of its own around the CLI.

``argv[0]`` is the plugin config file kustomize writes (the IngressToGateway object); the
rest are ``argsOneLiner`` / ``argsFromFile`` arguments, passed to the CLI after the flags
derived from the config's ``spec`` (so they win). stdin/stdout are plain streams. This is
the only KRM module that imports the CLI.
"""

from __future__ import annotations

import os
import sys

from gwshift import yamlio
from gwshift.config import function_config_argv
from gwshift.settings import ConfigError


def main(argv: list[str] | None = None) -> int:
    from gwshift.cli import main as cli_main

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or not os.path.isfile(args[0]):
        sys.stderr.write("gwshift: kustomize plugin: expected the plugin config file as the "
                         "first argument (run by kustomize --enable-alpha-plugins)\n")
        return 2
    config_path, rest = args[0], args[1:]
    try:
        with open(config_path, encoding="utf-8") as fh:
            fc = yamlio.load(fh.read())
        flags = function_config_argv(fc)
    except ConfigError as exc:
        message = str(exc).removeprefix("gwshift: ")
        sys.stderr.write(f"gwshift: kustomize plugin config {config_path}: {message}\n")
        return 1
    except (OSError, yamlio.YAMLError, yamlio.UnsafeYAML) as exc:
        sys.stderr.write(f"gwshift: cannot read kustomize plugin config {config_path}: "
                         f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}\n")
        return 1
    return cli_main([*flags, *rest, "--mode=stream"])
