"""Saving figures for articles: PNG, SVG and PDF with the CSV of the numbers behind them.

Same inputs give byte-identical PNG and SVG (and PDF): no timestamps or software versions in the
metadata, fixed SVG ids (``svg.hashsalt``); text stays editable in SVG (``svg.fonttype='none'``)
and PDF (TrueType fonts).  Every file is written to a temporary name and moved into place, so an
interrupted run never leaves a half-written figure.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Iterable

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from .style import RC, figure_data

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
SUPPORTED_FORMATS = tuple(_METADATA)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _atomic_write(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_table(df: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame as UTF-8 CSV, atomically and deterministically."""
    path = Path(path)
    _atomic_write(
        path,
        lambda tmp: df.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n",
                              float_format="%.6g"),
    )
    return path


def save_figure(
    fig: Figure,
    name: str,
    out_dir: str | Path,
    formats: Iterable[str] = ("png", "svg", "pdf"),
    dpi: int = 300,
    *,
    data: pd.DataFrame | None = None,
) -> list[Path]:
    """Write ``fig`` as ``out_dir/name.<fmt>`` for each format, plus ``name.csv`` with its data.

    ``data`` defaults to the table the ``plot_*`` function attached to the figure.
    Returns the paths written (figures first, then the CSV).
    """
    out_dir = Path(out_dir)
    formats = tuple(formats)
    unknown = [f for f in formats if f not in _METADATA]
    if unknown:
        raise ValueError(f"unsupported figure format(s) {unknown}; use {SUPPORTED_FORMATS}")
    written: list[Path] = []
    keys = ("svg.fonttype", "pdf.fonttype", "svg.hashsalt")
    with matplotlib.rc_context({k: RC[k] for k in keys}):
        for fmt in formats:
            path = out_dir / f"{name}.{fmt}"
            _atomic_write(
                path,
                lambda tmp, fmt=fmt: fig.savefig(
                    tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt], bbox_inches="tight",
                    pad_inches=0.03, facecolor="white",
                ),
            )
            written.append(path)
    table = data if data is not None else figure_data(fig)
    if table is not None:
        written.append(save_table(pd.DataFrame(table), out_dir / f"{name}.csv"))
    return written
