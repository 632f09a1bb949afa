"""Regeneration on a Dask cluster gives the same outputs as on the local process pool.

A ``distributed.LocalCluster`` (2 worker processes, one thread each) stands in for an existing
cluster: the same engine runs the fixture notebooks (tests/fixtures/notebooks/) once with its
own process pool and once with the cluster's executor, in two copies of one project, and the
figures, tables and manifests' file lists must be the same, byte for byte.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from interview_lens.runs.regenerate import find_notebooks, notebook_scope, regenerate

distributed = pytest.importorskip("distributed")

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_NOTEBOOKS = ROOT / "tests" / "fixtures" / "notebooks"
DOCS = {  # invented two-speaker exchanges
    "harbour.txt": "Q: What did the harbour look like?\nA: Grey cranes, and gulls over the "
                   "water.\n",
    "orchard.txt": "Q: Who planted the orchard?\nA: My grandmother, apple by apple.\n",
}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local_cluster:
        yield local_cluster


def make_project(root: Path) -> Path:
    (root / "data" / "interviews").mkdir(parents=True)
    shutil.copytree(FIXTURE_NOTEBOOKS, root / "notebooks")
    for name, text in DOCS.items():
        (root / "data" / "interviews" / name).write_text(text, encoding="utf-8")
    return root


def hashes(root: Path) -> dict[str, str]:
    """sha256 of every figure and table (executed notebooks and reports carry run times)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for top in ("figures", "data/processed") for p in sorted((root / top).rglob("*"))
            if p.is_file()}


def manifest_lists(root: Path) -> dict[str, tuple]:
    out = {}
    for path in sorted((root / "outputs").glob("*/manifest.json")):
        m = json.loads(path.read_text(encoding="utf-8"))
        out[path.parent.name] = (m["status"], m["figures"], m["tables"], m["warnings"],
                                 m["inputs"]["fingerprint"] if "inputs" in m else None)
    return out


def run(root: Path, **options):
    return regenerate(None, project_root=root, dpi=30, formats=("png", "svg"), progress=False,
                      **options)


def test_cluster_run_equals_local_pool_then_skips_unchanged(tmp_path, cluster):
    local = make_project(tmp_path / "local")
    # same path depth and name length, so that nothing path-dependent can differ but the root
    remote = make_project(tmp_path / "dasks")
    local_results = run(local, jobs=2)
    with distributed.Client(cluster) as client:
        executor = client.get_executor(pure=False)
        remote_results = run(remote, executor=executor)
        # the documents ran in the cluster's worker processes, not in this one
        ran_on = client.run(lambda: sys.modules.get("papermill") is not None)
        before, remote_manifests = hashes(remote), manifest_lists(remote)
        (remote / "data" / "interviews" / "orchard.txt").write_text(
            "Q: Who planted the orchard?\nA: My grandfather.\n", encoding="utf-8")
        rerun = run(remote, executor=executor)
    assert [r["status"] for r in local_results] == ["ok", "ok"]
    assert [r["status"] for r in remote_results] == ["ok", "ok"]
    # (papermill may well be imported in this process by other tests: only the workers count;
    # they are fresh processes that import it only to run a document)
    assert any(ran_on.values())
    for a, b in zip(local_results, remote_results):
        assert (a["doc_id"], a["figures"], a["tables"], a["warnings"]) == \
            (b["doc_id"], b["figures"], b["tables"], b["warnings"])
    local_hashes = hashes(local)
    # 2 documents x (word-lengths .png .svg .csv; words, partial, summary .csv; warnings.json)
    assert len(local_hashes) == 14
    assert local_hashes == before
    local_manifests = manifest_lists(local)
    assert sorted(local_manifests) == ["harbour", "orchard"]
    # the fingerprints cover the package source: an edit of src/ while this test runs (a shared
    # checkout) changes them, and harbour is not skipped below
    assert local_manifests == remote_manifests, "fingerprints differ: src/ edited meanwhile?"
    # the skip logic is the engine's, whatever runs the documents
    assert [r["status"] for r in rerun] == ["skipped", "ok"]
    after = hashes(remote)
    changed = sorted(k for k in after if before.get(k) != after[k])
    # "My grandfather." has other words and lengths: its words table and figure data change
    assert "data/processed/orchard/words.csv" in changed
    assert "figures/orchard/word-lengths.csv" in changed
    assert all("/orchard/" in k for k in changed)


def test_corpus_scope_notebooks_do_not_run_per_document(tmp_path):
    folder = tmp_path / "notebooks"
    shutil.copytree(FIXTURE_NOTEBOOKS, folder)
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# corpus")])
    nb.metadata["interview_lens"] = {"scope": "corpus"}
    nbformat.write(nb, str(folder / "05-corpus.ipynb"))
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# per document")])
    other.metadata["interview_lens"] = {"scope": "document"}
    nbformat.write(other, str(folder / "06-document.ipynb"))
    assert notebook_scope(folder / "05-corpus.ipynb") == "corpus"
    assert notebook_scope(folder / "01-write-outputs.ipynb") == "document"
    assert [p.name for p in find_notebooks(folder)] == [
        "01-write-outputs.ipynb", "02-check-document.ipynb", "06-document.ipynb"]


def test_project_notebook_05_is_corpus_scope():
    assert notebook_scope(ROOT / "notebooks" / "06-corpus-overview.ipynb") == "corpus"
    assert "06-corpus-overview.ipynb" not in [p.name for p in find_notebooks(ROOT / "notebooks")]


def test_without_scheduler_dask_is_not_imported(tmp_path):
    root = make_project(tmp_path / "project")
    (root / "data" / "interviews" / "orchard.txt").unlink()
    code = ("import sys\nfrom interview_lens.cli import main\nstatus = main({argv!r})\n"
            "print(status, sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('dask', 'distributed')))")
    argv = ["regenerate", "--project-root", str(root), "--jobs", "1",
            "--no-progress", "--formats", "png", "--dpi", "30"]
    done = subprocess.run([sys.executable, "-c", code.format(argv=argv)], capture_output=True,
                          text=True, check=True)
    # the document ran (on the local process pool) and no Dask module was loaded
    assert done.stdout.splitlines()[-1] == "0 []"
    assert (root / "figures" / "harbour" / "word-lengths.png").is_file()


def test_scheduler_option_unreachable_is_a_user_error(tmp_path, capsys, monkeypatch):
    # nothing listens on port 9: the refusal comes at once, but Dask retries until its timeout
    monkeypatch.setattr("interview_lens.runs.dask.CONNECT_TIMEOUT", "2s")
    from interview_lens.cli import main

    root = make_project(tmp_path / "project")
    status = main(["regenerate", "--project-root", str(root), "--no-progress",
                   "--scheduler", "tcp://127.0.0.1:9"])
    assert status == 2
    assert "--scheduler tcp://127.0.0.1:9: cannot connect" in capsys.readouterr().err
    assert not (root / "outputs").exists() or not list((root / "outputs").iterdir())


def _environ_of_worker() -> tuple[str | None, str | None]:
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_"), os.environ.get("OMP_NUM_THREADS")


def test_local_cluster_workers_keep_the_default_allocator(monkeypatch):
    """Dask's nanny sets MALLOC_TRIM_THRESHOLD_ in the workers it starts, which made corpus
    counting 40% slower; the workers of our local cluster are started without it, and keep
    Dask's other settings (one OpenMP thread).  This process runs without the variable, so a
    worker that has it got it from the nanny."""
    from interview_lens.runs.dask import dask_client

    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with dask_client(workers=1) as client:
        seen = list(client.run(_environ_of_worker).values())
    assert seen == [(None, "1")]


def test_shipped_worker_config_unsets_the_trim_threshold():
    """scripts/dask/interview-lens.yaml (DASK_CONFIG=scripts/dask for a cluster started by
    hand): the nanny's environment for new workers, read as Dask reads it."""
    import dask
    from distributed.nanny import _get_env_variables

    shipped = dask.config.collect(paths=[str(ROOT / "scripts" / "dask")], env={})
    with dask.config.set(dask.config.merge(dask.config.config, shipped)):
        environ = _get_env_variables("distributed.nanny.pre-spawn-environ")
    assert "MALLOC_TRIM_THRESHOLD_" not in environ
    assert environ["OMP_NUM_THREADS"] == "1"
