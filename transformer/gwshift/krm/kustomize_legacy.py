"""The kustomize legacy exec transformer plugin: a shell of its own around the CLI.

``argv[0]`` is the plugin config file kustomize writes (the IngressToGateway object); the
rest are ``argsOneLiner`` / ``argsFromFile`` arguments, passed to the CLI after the flags
derived from the config's ``spec`` (so they win). stdin/stdout are plain streams. This is
the only KRM module that imports the CLI.
"""

from __future__ import annotations

import os
import sys

from gwshift import stream, yamlio
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
    where = yamlio.safe_text(config_path, 200)
    try:
        # bounded like every input (GWSHIFT_MAX_INPUT_MB); one line for any reading problem
        data = bytes(stream.read_input(config_path))
        fc = yamlio.load(data.decode("utf-8"))
        flags = function_config_argv(fc)
    except ConfigError as exc:
        message = str(exc).removeprefix("gwshift: ")
        sys.stderr.write(f"gwshift: kustomize plugin config {where}: {message}\n")
        return 1
    except stream.InputError as exc:  # its text names the path as given: escaped here
        sys.stderr.write(f"{yamlio.safe_text(str(exc), 500)}\n")
        return 1
    except UnicodeDecodeError as exc:
        sys.stderr.write(f"gwshift: cannot read kustomize plugin config {where}: not UTF-8 text "
                         f"(byte {exc.start})\n")
        return 1
    except (yamlio.YAMLError, yamlio.UnsafeYAML, ValueError) as exc:
        sys.stderr.write(f"gwshift: cannot read kustomize plugin config {where}: "
                         f"{yamlio.error_line(exc)}\n")
        return 1
    return cli_main([*flags, *rest, "--mode=stream"])
