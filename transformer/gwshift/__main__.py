from __future__ import annotations

from gwshift.cli import main

raise SystemExit(main())
