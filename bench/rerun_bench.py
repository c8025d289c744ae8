"""Seconds of one app rerun on the server (Streamlit's AppTest, no browser), the cost every
click, switch and upload pays for every planner.

Runs the app once (libraries and base layers load), then times: a layer switched off the first
time (a new map is built), then repeatedly a rerun with nothing changed, the layer off and on
again (maps the server has seen).
Usage: ``python bench/rerun_bench.py [--repeat 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "streamlit_app.py")


def _timed(step) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def main() -> None:
    """Time the reruns and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(SIP_ATLAS_WORKSPACE=tmp, SIP_ATLAS_BASEMAP="none")
        os.environ.pop("SIP_ATLAS_DATABASE_URL", None)
        at = AppTest.from_file(APP, default_timeout=120)
        first = _timed(at.run)
        new_map = _timed(at.checkbox(key="layer_carrier_parks").uncheck().run)
        at.checkbox(key="layer_carrier_parks").check().run()
        same, off, on = [], [], []
        for _ in range(args.repeat):
            same.append(_timed(at.run))
            off.append(_timed(at.checkbox(key="layer_carrier_parks").uncheck().run))
            on.append(_timed(at.checkbox(key="layer_carrier_parks").check().run))
        assert not at.exception, at.exception
    print(f"first run {first:.2f} s; a new map {new_map:.2f} s; median of {args.repeat}: "
          f"rerun unchanged "
          f"{statistics.median(same):.2f} s, layer off {statistics.median(off):.2f} s, "
          f"layer on again {statistics.median(on):.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
