from pathlib import Path

import pytest

from interview_lens.project import document_paths, project_root, slugify


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("gt-kurbalija-2025-fr", "gt-kurbalija-2025-fr"),
        ("Entretien d’Hélène (v2)", "entretien-d-helene-v2"),
        ("-leading dash", "leading-dash"),
        ("'quoted' \"name\"", "quoted-name"),
        ("——", "document"),
    ],
)
def test_slugify(stem, slug):
    assert slugify(stem) == slug


def test_project_root_found_from_notebooks_dir(monkeypatch):
    root = Path(__file__).resolve().parents[1]
    monkeypatch.delenv("INTERVIEW_LENS_ROOT", raising=False)
    monkeypatch.chdir(root / "notebooks")
    assert project_root() == root


def test_document_paths_same_from_root_and_notebooks(monkeypatch, tmp_path):
    root = Path(__file__).resolve().parents[1]
    monkeypatch.delenv("INTERVIEW_LENS_ROOT", raising=False)
    monkeypatch.chdir(root)
    a = document_paths("data/interviews/gt-kurbalija-2025-fr.txt")
    monkeypatch.chdir(root / "notebooks")
    b = document_paths("data/interviews/gt-kurbalija-2025-fr.txt")
    assert a == b
    assert a.figures == root / "figures" / "gt-kurbalija-2025-fr"
    assert a.tables == root / "data" / "processed" / "gt-kurbalija-2025-fr"
    c = document_paths("data/interviews/gt-kurbalija-2025-fr.txt", output_root=tmp_path)
    assert c.figures == tmp_path / "figures" / "gt-kurbalija-2025-fr"
    assert c.document == root / "data" / "interviews" / "gt-kurbalija-2025-fr.txt"
