"""The command line's layout: one module per command (``register``, ``run``), each listed once in
``landplan.cli.main.COMMANDS``; and no two modules importing each other."""

import ast
import pkgutil
from pathlib import Path

from landplan.cli import commands
from landplan.cli.main import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parents[2]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(path: Path, modules) -> set:
    """The project modules a file imports, at its top or in a function (``from . import x``: the
    module x, not the package)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                head = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{head}.{base}" if base else head
            subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
            found.update(subs if subs else [base])
    return {m for m in found if m in modules and m != name}


def import_graph(*packages) -> dict:
    """Module -> the project modules it imports, over ``packages`` (folders of the checkout)."""
    paths = [p for pkg in packages for p in sorted((ROOT / pkg).rglob("*.py"))]
    modules = {_module_name(p) for p in paths}
    return {_module_name(p): _imported(p, modules) for p in paths}


def cycles(graph: dict) -> list:
    """The groups of modules that import each other, directly or through others (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_two_modules_of_the_command_line_and_the_read_import_each_other():
    graph = import_graph("landplan/cli", "geo", "layers")
    involved = [
        group
        for group in cycles(graph)
        if any(m.startswith(("landplan.cli", "layers.kept", "layers.zone_coverage")) for m in group)
        or any(m.startswith("geo") for m in group)
    ]
    assert involved == []
    # the graph is real: the command modules import the shared helpers, the short road the reader
    assert "landplan.cli.common" in graph["landplan.cli.commands.coverage"]
    assert "geo.io.gpkg" in graph["layers.zone_coverage"]


def test_every_command_module_registers_and_runs_and_is_listed_once():
    names = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    listed = sorted(c.__name__.rpartition(".")[2] for c in COMMANDS)
    assert listed == names and len(set(listed)) == len(listed)
    assert all(callable(c.register) and callable(c.run) for c in COMMANDS)
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert set(sub.choices) >= set(names)
