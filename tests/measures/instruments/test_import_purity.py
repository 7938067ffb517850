"""The instruments package is pure Python: importing it (and using it) loads
no Django module and nothing else from onestory."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import json, sys
from onestory.measures import instruments
phq9 = instruments.get("PHQ9")
score = phq9.score({str(n): 1 for n in range(1, 10)})
instruments.describe_change(phq9, score, score)
print(json.dumps(sorted(sys.modules)))
"""


def _modules_loaded_by_the_probe() -> list[str]:
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_no_django_module_is_imported():
    modules = _modules_loaded_by_the_probe()
    assert "onestory.measures.instruments" in modules
    assert [m for m in modules if m.startswith("django")] == []


def test_nothing_else_from_onestory_is_imported():
    modules = _modules_loaded_by_the_probe()
    ours = [m for m in modules if m.startswith("onestory")]
    allowed = ("onestory.measures.instruments", "onestory.measures", "onestory")
    assert [m for m in ours if not m.startswith(allowed[0]) and m not in allowed] == []
