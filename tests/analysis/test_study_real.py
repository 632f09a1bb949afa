"""The study functions on the real interviews of ../shared/interviews (skipped when absent).

A variables table written here gives each of the 12 texts its language and the kind of source
(press, blog, broadcast, government site, podcast); the comparisons, the IRaMuTeQ round trip
and the figures must run on them.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "interviews"
pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="no ../shared/interviews here")

# kind of source, by the file's number (from the folder's README: sites and shows)
KIND = {"01": "press", "02": "blog", "03": "blog", "04": "blog", "05": "broadcast",
        "06": "government", "07": "government", "08": "podcast", "09": "blog",
        "10": "podcast", "11": "podcast", "12": "podcast"}


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    from interview_lens.analysis.concepts import code_concepts
    from interview_lens.analysis.dictionary import load_dictionary
    from interview_lens.language.tokens import tokens_from_many
    from interview_lens.reading.segment import read_interview
    from interview_lens.reading.variables import read_variables, with_variables

    paths = sorted(SHARED.glob("[0-9][0-9]_*.txt"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        interviews = [read_interview(p) for p in paths]
    folder = tmp_path_factory.mktemp("study")
    table = folder / "variables.csv"
    table.write_text("file,language,kind\n" + "".join(
        f"{p.name},{iv.language},{KIND[p.name[:2]]}\n" for p, iv in zip(paths, interviews)),
        encoding="utf-8")
    variables = read_variables(table, documents=paths)
    tokens = tokens_from_many(interviews)
    dictionary = load_dictionary()
    hits = pd.concat([code_concepts(tokens.loc[tokens["doc_id"] == iv.doc_id], dictionary,
                                    language=iv.language) for iv in interviews],
                     ignore_index=True)
    hits.attrs = code_concepts(tokens.iloc[:0], dictionary, language="fr").attrs
    return {"interviews": interviews, "variables": variables, "hits": hits, "folder": folder,
            "tokens": with_variables(tokens, variables), "raw_tokens": tokens}


def test_the_variables_table_names_every_document(study):
    variables = study["variables"]
    assert len(variables) == 12 and variables.attrs["unknown"] == []
    assert variables.attrs["missing"] == []
    assert variables["language"].value_counts().to_dict() == {"fr": 7, "en": 5}


def test_keyness_within_french_and_refused_across_languages(study):
    from interview_lens.analysis.terms import stat_keyness
    from interview_lens.errors import InputError

    tokens = study["tokens"]
    french = tokens.loc[tokens["language"] == "fr"]
    key = stat_keyness(french, by="kind", target="government")
    assert len(key.attrs["target_documents"]) == 2
    assert len(key.attrs["reference_documents"]) == 5 and key.attrs["language"] == "fr"
    top = key.loc[key["sign"] == "+"].head(5)
    assert (top["p"] < 0.001).all() and (top["n_target"] > top["n_reference"]).all()
    with pytest.raises(InputError, match="the groups mix languages"):
        stat_keyness(tokens, by="kind", target="podcast")


def test_rates_classes_and_clusters_run_and_their_figures_draw(study):
    import matplotlib.pyplot as plt

    from interview_lens.analysis.groups import stat_class_variables, stat_group_rates
    from interview_lens.analysis.guide import cluster_qa, stat_clusters, stat_guide_themes
    from interview_lens.figures.export import save_figure
    from interview_lens.figures.groups import plot_group_rates, plot_guide_heatmap

    rates = stat_group_rates(study["hits"], study["tokens"], by="kind")
    assert set(rates["kind"]) == set(KIND.values())
    assert (rates["ci_low"] <= rates["rate_per_1000"]).all()
    assert (rates["rate_per_1000"] <= rates["ci_high"]).all()
    assert rates.groupby("kind")["documents"].first().to_dict() == {
        "blog": 4, "broadcast": 1, "government": 2, "podcast": 4, "press": 1}
    french = [iv for iv in study["interviews"] if iv.language == "fr"]
    qa = pd.concat([iv.qa.assign(doc_id=iv.doc_id, language=iv.language) for iv in french],
                   ignore_index=True)
    clustered = cluster_qa(qa)
    assert clustered["guide_id"].min() >= 1 and len(stat_clusters(clustered)) >= 2
    table = stat_guide_themes(clustered, study["raw_tokens"], study["hits"])
    assert len(table) == len(stat_clusters(clustered)) * len(french)
    crosstab = stat_class_variables(clustered.rename(columns={"guide_id": "class"}),
                                    study["variables"], by="kind")
    assert crosstab["n"].sum() == len(qa) and crosstab.attrs["dof"] > 0
    out = study["folder"] / "figures"
    for fig, name in ((plot_group_rates(rates, document="12 real interviews"), "rates"),
                      (plot_guide_heatmap(table, document="7 French interviews"), "themes")):
        assert save_figure(fig, name, out, formats=("png",))[0].stat().st_size > 10_000
        plt.close(fig)


def test_iramuteq_round_trip_of_the_real_collection(study, tmp_path):
    from interview_lens.exchange.iramuteq import corpus_texts, read_iramuteq, write_iramuteq
    from interview_lens.reading.formats import read_document

    documents = {iv.doc_id: read_document(iv.path) for iv in study["interviews"]}
    texts = corpus_texts(documents, study["variables"])
    changes = write_iramuteq(tmp_path / "corpus.txt", texts)
    back = read_iramuteq(tmp_path / "corpus.txt")
    assert [t.doc_id for t in back] == list(documents)
    for before, after in zip(texts, back):
        assert after.variables == before.variables
        starred = "*" in before.document.text
        assert any(c.startswith(f"{before.doc_id}: ") for c in changes) == starred
        if not starred:  # IRaMuTeQ's own markup is the one thing writing removes
            expected = "\n".join(ln.rstrip() for ln in before.document.text.split("\n"))
            assert after.document.text == expected.strip("\n")
