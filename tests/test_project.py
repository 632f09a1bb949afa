from pathlib import Path

import pytest

from interview_lens.project import atomic_write, doc_id_for, document_paths, project_root


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


def test_doc_id_for_is_the_slug_of_the_stem():
    assert doc_id_for("data/interviews/Entretien d’Hélène (v2).docx") == "entretien-d-helene-v2"
    assert doc_id_for("/x/gt-kurbalija-2025-fr.txt") == "gt-kurbalija-2025-fr"


def test_atomic_write_replaces_whole_or_leaves_the_old_file(tmp_path):
    target = tmp_path / "sub" / "table.csv"
    atomic_write(target, lambda tmp: Path(tmp).write_text("a,b\n", encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "a,b\n"

    def half_then_fail(tmp):
        Path(tmp).write_text("half", encoding="utf-8")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(target, half_then_fail)
    assert target.read_text(encoding="utf-8") == "a,b\n"  # the previous file, whole
    assert sorted(p.name for p in target.parent.iterdir()) == ["table.csv"]  # no temporary left
