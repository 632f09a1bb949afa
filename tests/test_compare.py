"""compare.plot_concept_rates: the documents x concepts figure of notebook 04."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from interview_lens.compare import plot_concept_rates  # noqa: E402
from interview_lens.style import figure_data  # noqa: E402


def _rates(docs):
    # invented: 'a' has 3 hits of sharing and 1 of community in 200 tokens -> 15.0 and 5.0
    rows = {"a": [("sharing", 3, 200), ("community", 1, 200)],
            "b": [("sharing", 0, 100), ("community", 2, 100)]}
    out = [(d, c, h, t, 1000 * h / t) for d in docs for c, h, t in rows[d]]
    return pd.DataFrame(out, columns=["doc_id", "concept", "hits", "tokens", "rate_per_1000"])


def test_one_document_is_a_labelled_strip_without_colour_bar():
    rates = _rates(["a"])
    fig = plot_concept_rates(rates, labels={"sharing": "sharing", "community": "community"})
    assert len(fig.axes) == 1  # values are written in the cells: no colour bar
    ax = fig.axes[0]
    assert ax.get_title() == ("Concept rates (hits per 1,000 words) per document\n"
                              "1 processed document")
    # columns sorted by total rate: sharing 15.0 before community 5.0
    assert [t.get_text() for t in ax.get_xticklabels()] == ["sharing", "community"]
    assert [t.get_text() for t in ax.texts] == ["15.0", "5.0"]
    assert figure_data(fig) is rates


def test_several_documents_are_counted_in_the_title():
    fig = plot_concept_rates(_rates(["a", "b"]))
    ax = fig.axes[0]
    assert ax.get_title().endswith("\n2 processed documents")
    # sharing 15.0 + 0.0 = 15.0; community 5.0 + 20.0 = 25.0: community first
    assert [t.get_text() for t in ax.get_xticklabels()] == ["community", "sharing"]
    assert [t.get_text() for t in ax.texts] == ["5.0", "15.0", "20.0", "0.0"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b"]
