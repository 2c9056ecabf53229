"""Execute every example notebook in ``notebooks/`` top to bottom.

Each notebook runs in a fresh kernel of the running interpreter (the kernelspec
``python3`` launches ``python``, which jupyter_client maps to ``sys.executable``), with a
temporary working directory so nothing is written into the repository, and headless
matplotlib. A cell that raises fails the test; so does a Python warning printed by a
cell, because the library must not warn in ordinary use.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = {
    "01-quickstart.ipynb",
    "02-did-the-network-improve-prison-nhs-connections.ipynb",
    "03-national-cancer-network.ipynb",
    "04-chief-executives.ipynb",
    "05-prison-health-saom.ipynb",
}
# "UserWarning: ...", "FutureWarning: ...", "RuntimeWarning: ..." as printed by `warnings`.
WARNING_LINE = re.compile(r"\b[A-Z]\w*Warning: ")


def test_all_notebooks_present() -> None:
    assert {p.name for p in NOTEBOOKS} >= EXPECTED


def test_generator_in_sync() -> None:
    """The committed notebooks are what scripts/make_notebooks.py writes."""
    sys.path.insert(0, str(NOTEBOOK_DIR.parent / "scripts"))
    try:
        import make_notebooks
    finally:
        sys.path.pop(0)
    assert make_notebooks.main(["--check"]) == 0


def _warnings(nb) -> list[str]:
    found = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found += [
                    f"cell {i}: {line}"
                    for line in output["text"].splitlines()
                    if WARNING_LINE.search(line)
                ]
    return found


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb = nbformat.read(path, as_version=4)
    kinds = {cell.cell_type for cell in nb.cells}
    assert {"markdown", "code"} <= kinds, f"{path.name} needs markdown and code cells"
    assert 8 <= len(nb.cells) <= 30, f"{path.name} has {len(nb.cells)} cells"
    assert all(not cell.get("outputs") for cell in nb.cells if cell.cell_type == "code"), (
        f"{path.name} was committed with outputs; run scripts/make_notebooks.py"
    )

    # The kernel inherits this environment: headless plots, no progress bars.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    client = nbclient.NotebookClient(
        nb,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError naming the failing cell

    assert not list(tmp_path.iterdir()), "a notebook wrote files into its working directory"
    assert _warnings(nb) == [], f"{path.name} emitted warnings"
