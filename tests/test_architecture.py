"""The package's shape: no import cycle, a small top level, dependencies declared as imported."""
from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "interview_lens"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imported(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """Every module of the package that ``path`` imports, at the top or inside a function.

    ``from a.b import c`` imports ``a.b.c`` when that is a module, else ``a.b``; importing
    ``a.b.c`` also runs the ``__init__`` of ``a`` and ``a.b`` (the packages it is in).
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, *([node.module] if node.module else [])])
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                       for a in node.names]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        else:
            continue
        for target in targets:
            while target in modules or target.startswith("interview_lens."):
                if target in modules:
                    found.add(target)
                target = target.rpartition(".")[0]
    found.discard(name)
    # a module's own packages are being imported when it runs: not an edge back to them
    return {m for m in found if not name.startswith(m + ".")}


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imported(path, name, modules) for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` as a list of modules (first = last), or None."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one_through_a_function_level_import():
    # the shape that hid export <-> style: a top import one way, a lazy one back
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_parser_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from interview_lens.figures.export import save_figure\n")
    graph = _imported(module, "interview_lens.figures.style", _modules())
    assert graph == {"interview_lens.figures.export"}


def test_no_import_cycle_in_the_package():
    assert find_cycle(import_graph()) is None


def test_every_subpackage_has_an_init():
    # a folder without one would import as a namespace package, with no API of its own
    missing = [str(d.relative_to(PACKAGE)) for d in PACKAGE.rglob("*")
               if d.is_dir() and d.name != "__pycache__" and any(d.glob("*.py"))
               and not (d / "__init__.py").is_file()]
    assert missing == []


def test_the_top_level_has_at_most_ten_files():
    files = sorted(p.name for p in PACKAGE.iterdir() if p.is_file())
    assert len(files) <= 10, files


def _third_party_imports() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "interview_lens"}


def _normalised(distribution: str) -> str:
    return distribution.lower().replace("_", "-")


def test_pyproject_declares_exactly_what_the_package_imports():
    """After a plain ``pip install .`` every module imports: each third-party import of the
    package is the import name of a dependency of pyproject.toml, and each dependency is
    imported (or is there for a stated reason)."""
    declared = {_normalised(d.split(";")[0].split("[")[0].split("=")[0].split(">")[0].strip())
                for d in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
                    "dependencies"]}
    providers = packages_distributions()
    imported = _third_party_imports()
    missing = {name: providers.get(name, ["?"]) for name in imported
               if not {_normalised(d) for d in providers.get(name, [])} & declared}
    assert missing == {}, f"imported but not in pyproject.toml dependencies: {missing}"
    used = {_normalised(d) for name in imported for d in providers.get(name, [])}
    # needed at run time without being imported by the package's code
    not_imported = {"jupyterlab": "the notebooks' editor", "ipykernel": "the notebooks' kernel",
                    "jupytext": "keeps each notebook paired with its .py source in JupyterLab",
                    "lxml": "beautifulsoup4's parser, named as 'lxml'",
                    "cryptography": "lets pypdf open AES-encrypted PDFs",
                    "pyarrow": "pandas' Parquet engine", "ipywidgets": "the explorers' widgets"}
    assert declared - used - set(not_imported) == set()


@pytest.mark.parametrize("package", ["reading", "language", "analysis", "figures", "notebook",
                                     "runs", "exchange"])
def test_each_subpackage_lists_its_api_and_every_name_resolves(package):
    import importlib

    module = importlib.import_module(f"interview_lens.{package}")
    assert module.__all__
    for name in module.__all__:
        assert getattr(module, name) is not None, name


def test_the_top_level_grammar_resolves():
    import interview_lens as il

    for name in il.__all__:
        assert getattr(il, name) is not None, name
    assert il.read_interview.__module__ == "interview_lens.reading.segment"
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        il.nonexistent  # noqa: B018
