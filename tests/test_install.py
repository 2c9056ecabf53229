"""The sample data ship inside the wheel: a non-editable install run from another folder
can load them (issue: "load_sample must work after a non-editable pip install")."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
RUNTIME_DEPS = ("networkx", "pandas", "numpy", "scipy", "matplotlib", "openpyxl", "tqdm")

CHECK = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import connectnet
    from connectnet.samples import sample_path

    prefix = Path(sys.prefix).resolve()
    module = Path(connectnet.__file__).resolve()
    assert prefix in module.parents, f"connectnet imported from {module}, not the venv"
    folder = sample_path("prison_health").resolve()
    assert prefix in folder.parents and "sample_data" in folder.parts, folder
    data = connectnet.load_sample("prison_health")
    page = connectnet.show_map(connectnet.contact_graph(data, wave="baseline"), seed=1).html
    assert "window.connectnet" in page and "#cn-canvas" in page, "explorer assets missing"
    print(len(data.people), ",".join(data.waves), ",".join(connectnet.list_samples()))
    """
)


def _run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout}\n{done.stderr}"
    return done


def _site_packages(env: Path) -> Path:
    found = list(env.glob("lib/python*/site-packages")) + list(env.glob("Lib/site-packages"))
    assert len(found) == 1, found
    return found[0]


def test_wheel_ships_samples_and_loads_them_outside_the_source_tree(tmp_path):
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        cwd=tmp_path,
    )
    (wheel,) = dist.glob("connectnet-*.whl")
    with zipfile.ZipFile(wheel) as z:  # the explorer's code and style are package data
        assert {"connectnet/maps/explorer.js", "connectnet/maps/explorer.css"} <= set(z.namelist())

    env = tmp_path / "venv"
    venv.create(env, with_pip=True)
    python = env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # Runtime dependencies come from the current environment through a .pth file (a path
    # line adds only that folder: any editable connectnet there is not activated), so the
    # test needs no downloads beyond the build backend; connectnet itself comes from the
    # wheel, installed into the venv's own site-packages, which is searched first.
    dep_dirs = {
        str(Path(importlib.import_module(m).__file__).resolve().parents[1]) for m in RUNTIME_DEPS
    }
    (_site_packages(env) / "_host_deps.pth").write_text("\n".join(sorted(dep_dirs)) + "\n")
    _run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    done = _run([str(python), "-c", CHECK], cwd=elsewhere, env=clean_env)
    people, waves, names = done.stdout.strip().splitlines()[-1].split()
    assert people == "141"
    assert waves == "baseline,follow-up"
    assert names == "cancer_networks,chief_executives,prison_health"

    # Tried as a new user: the installed command runs the whole report from another folder.
    script = env / ("Scripts/connectnet.exe" if os.name == "nt" else "bin/connectnet")
    out = elsewhere / "report-prison_health"
    _run(
        [
            str(script),
            "report",
            "--sample",
            "prison_health",
            "--out",
            str(out),
            "--permutations",
            "99",
            "--quiet",
        ],
        cwd=elsewhere,
        env=clean_env,
    )
    for name in ("index.html", "map.html", "graph.gexf", "tables/compare.csv"):
        assert (out / name).is_file(), name
    page = (out / "index.html").read_text(encoding="utf-8")
    for anchor in ("overview", "load-report", "metrics", "focal", "bridgers", "change"):
        assert f"id='{anchor}'" in page
