"""Figures of the collection: documents side by side (the tables of
:mod:`interview_lens.analysis.documents`)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from interview_lens.figures.style import (
    SEQUENTIAL_CMAP,
    attach_data,
    house_style,
    new_figure,
    title,
)


def plot_concept_rates(rates: pd.DataFrame, *, labels: dict[str, str] | None = None,
                       document: str = "", ax=None, width="two") -> Figure:
    """Documents × concepts heatmap of rates per 1,000 word tokens, every cell annotated with
    its value (so no colour bar is needed, and one document still makes a readable strip).
    ``document`` names the collection in the title; default ``"N processed documents"``."""
    table = rates.pivot(index="doc_id", columns="concept", values="rate_per_1000").fillna(0.0)
    table = table[table.sum().sort_values(ascending=False).index]
    n = len(table)
    document = document or f"{n} processed document{'' if n == 1 else 's'}"
    with house_style():
        height = 45 + 9 * n
        fig, ax = new_figure(ax, width=width, height_mm=min(height, 200))
        ax.imshow(table.to_numpy(), aspect="auto", cmap=SEQUENTIAL_CMAP)
        ax.set_xticks(range(table.shape[1]),
                      [(labels or {}).get(c, c) for c in table.columns], rotation=45, ha="right")
        ax.set_yticks(range(table.shape[0]), table.index)
        top = float(table.to_numpy().max()) if table.size else 0.0
        for (i, j), value in np.ndenumerate(table.to_numpy()):
            ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=6,
                    color="white" if value < 0.6 * top else "black")
        ax.spines[:].set_visible(False)
        ax.set_title(title(document, "Concept rates (hits per 1,000 words)", "document"))
    return attach_data(fig, rates)
