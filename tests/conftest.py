"""Shared test configuration: figures never open a window; paths resolve from this checkout."""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
os.environ.setdefault("INTERVIEW_LENS_ROOT", str(ROOT))
