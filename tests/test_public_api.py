"""The public surface: one namespace, every name documented, nothing accidental."""

from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import connectnet as cn

ROOT = Path(__file__).resolve().parents[1]
MODULES = [
    "bridging",
    "brokers",
    "build",
    "change",
    "cohesion",
    "data",
    "export",
    "maps",
    "plots",
    "privacy",
    "report",
    "samples",
]
INTERNAL_CONSTANTS = {"DEFAULT_MAX_MEMORY"}
PUBLIC = [n for n in cn.__all__ if n != "__version__"]


def test_every_module_name_is_reexported():
    for mod in MODULES:
        module = importlib.import_module(f"connectnet.{mod}")
        for name in module.__all__:
            if name not in INTERNAL_CONSTANTS:
                assert name in cn.__all__, f"connectnet.{mod}.{name} is not exported"
                assert getattr(cn, name) is getattr(module, name)


def test_design_contract_names_exist():
    design = [
        "read_dataset",
        "read_people",
        "read_organisations",
        "read_events",
        "read_attendance",
        "read_contacts",
        "DataError",
        "Dataset",
        "list_samples",
        "load_sample",
        "attendance_graph",
        "coattendance_graph",
        "coattendance_edges",
        "contact_graph",
        "organisation_graph",
        "sector_graph",
        "snapshots",
        "attendance_summary",
        "ei_index",
        "group_ei_index",
        "node_ei_index",
        "ei_test",
        "mixing_matrix",
        "block_density",
        "assortativity",
        "homophily",
        "segregation",
        "participation_coefficient",
        "brokerage",
        "structural_holes",
        "cross_sector_reach",
        "bridging_table",
        "bridging_risk",
        "cohesion_summary",
        "fragmentation",
        "centralization",
        "communities",
        "partition_comparison",
        "core_periphery",
        "compare",
        "tie_changes",
        "ei_change_test",
        "qap_correlation",
        "qap_regression",
        "dyadic_covariate",
        "exposure_effect",
        "network_map",
        "write_map",
        "show_map",
        "plot_network",
        "plot_mixing",
        "plot_ei",
        "plot_change",
        "plot_attendance",
        "write_gexf",
        "write_graphml",
        "write_tables",
        "pseudonymise",
    ]
    missing = [n for n in design if n not in cn.__all__]
    assert missing == []


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_function_has_a_numpy_docstring(name):
    obj = getattr(cn, name)
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{name} has no docstring"
    if inspect.isfunction(obj):
        headings = ["Returns", "Examples"]
        if inspect.signature(obj).parameters:
            headings.append("Parameters")
        for heading in headings:
            assert f"{heading}\n---" in doc, f"{name} lacks a {heading} section"


def test_api_doc_lists_every_public_name():
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    missing = [n for n in PUBLIC if f"`{n}`" not in text]
    assert missing == [], "run scripts/make_api_doc.py"


def test_import_is_warning_free_and_light():
    code = (
        "import sys, connectnet; "
        "heavy = [m for m in ('matplotlib.pyplot', 'pyvis', 'playwright') if m in sys.modules]; "
        "print(heavy)"
    )
    done = subprocess.run(
        [sys.executable, "-Werror", "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
    assert done.stderr == ""
