"""What importing the package costs: `import coop_logic` and loading the pytest plugin read
no file and load no solver (the rest is loaded on first use)."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["coop_logic", "coop_logic.testing"])
def test_importing_loads_neither_z3_nor_yaml(module):
    code = (f"import sys, {module}; "
            "print(sorted(m for m in ('z3', 'yaml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


def test_the_lazy_names_are_the_public_ones():
    import coop_logic

    assert set(coop_logic.__all__) <= set(dir(coop_logic))
    assert coop_logic.Request.__module__ == "coop_logic.model.request"
    with pytest.raises(AttributeError):
        coop_logic.no_such_name  # noqa: B018


def test_the_command_and_its_help_load_no_solver():
    code = "import sys, coop_logic.cli; print('z3' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "False"
    from pathlib import Path

    exe = Path(sys.executable).parent / "coop-logic"
    shown = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    assert "check" in shown.stdout
