"""Paired, interleaved start-up comparison of gwshift trees (and ``import yaml``).

    python bench/paired.py 21 chart-50.yaml /tmp/base /work/main yaml

Each argument after the input is a checkout (its ``transformer/`` goes on ``PYTHONPATH``) or
``yaml`` (``python -c "import yaml"``). Every round runs each contender once, in turn; the
medians of wall time and of the child's user + system CPU (``wait4``) are printed, with the
load average (the machine may be shared: CPU time moves much less than wall time under
load). Bytecode is enabled and warmed first, as an installed package has it.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    n, inp, trees = int(argv[0]), argv[1], argv[2:]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cmds: dict[str, tuple[list[str], dict[str, str]]] = {}
    for t in trees:
        if t == "yaml":
            cmds[t] = ([sys.executable, "-c", "import yaml"], env)
        else:
            cmds[t] = ([sys.executable, "-m", "gwshift", inp],
                       dict(env, PYTHONPATH=os.path.join(t, "transformer")))
    wall: dict[str, list[float]] = {t: [] for t in trees}
    cpu: dict[str, list[float]] = {t: [] for t in trees}
    for argv_, e in cmds.values():  # warm the bytecode
        subprocess.run(argv_, env=e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
    before = os.getloadavg()
    for _ in range(n):
        for t, (argv_, e) in cmds.items():
            start = time.perf_counter()
            proc = subprocess.Popen(argv_, env=e, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            _, _, ru = os.wait4(proc.pid, 0)
            wall[t].append(time.perf_counter() - start)
            cpu[t].append(ru.ru_utime + ru.ru_stime)
    print(f"load average before {before}, after {os.getloadavg()}")
    base_w = statistics.median(wall["yaml"]) if "yaml" in wall else None
    for t in trees:
        w, c = statistics.median(wall[t]), statistics.median(cpu[t])
        rel = f"  wall/yaml {w / base_w:.2f}" if base_w else ""
        print(f"{t:30s} wall {w * 1000:6.1f} ms  cpu {c * 1000:6.1f} ms{rel}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
