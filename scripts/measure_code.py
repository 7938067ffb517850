"""How big the house is: view lengths and the largest modules (issue 16's goals).

    PYTHONPATH=. .venv/bin/python scripts/measure_code.py

A view is a top-level function in a module whose name ends in ``views.py``; its
length is its lines from the ``def`` to its last line, decorators and docstring
included. Modules are every ``.py`` under ``onestory/`` but migrations.
"""

import ast
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "onestory"
LARGE = 400


def view_lengths() -> dict[str, int]:
    lengths = {}
    for module in sorted(ROOT.rglob("*views.py")):
        tree = ast.parse(module.read_text())
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                name = f"{module.relative_to(ROOT.parent)}:{node.name}"
                lengths[name] = node.end_lineno - node.lineno + 1
    return lengths


def module_lengths() -> dict[str, int]:
    return {
        str(module.relative_to(ROOT.parent)): len(module.read_text().splitlines())
        for module in ROOT.rglob("*.py")
        if "migrations" not in module.parts
    }


def main() -> int:
    views = view_lengths()
    ordered = sorted(views.values())
    p90 = ordered[max(0, round(0.9 * len(ordered)) - 1)]
    print(f"{len(views)} views: median {statistics.median(ordered):g} lines, p90 {p90}")
    for name, length in sorted(views.items(), key=lambda item: -item[1])[:5]:
        print(f"  {length:4} {name}")
    modules = module_lengths()
    large = {name: n for name, n in modules.items() if n > LARGE}
    print(f"{len(large)} modules over {LARGE} lines:")
    for name, length in sorted(large.items(), key=lambda item: -item[1]):
        print(f"  {length:4} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
