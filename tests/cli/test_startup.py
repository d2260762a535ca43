"""Every ``nightspine`` command starts fast: the CLI modules load heavy libraries lazily."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nightspine

# Loaded only inside the commands that need them (analysis, charts, PDF, Dask, Django).
HEAVY = ("scipy", "matplotlib", "typst", "dask", "django.core.management", "pyarrow")


def test_importing_the_cli_loads_no_heavy_library() -> None:
    src = str(Path(nightspine.__file__).parents[1])
    code = "import json, sys, nightspine.cli.main; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    ).stdout
    loaded = json.loads(out)
    heavy = [m for m in loaded if any(m == h or m.startswith(h + ".") for h in HEAVY)]
    assert heavy == []
