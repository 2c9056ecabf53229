"""Draw the example plots shown in docs/maps-and-plots.md (docs/img/plot_*.png).

Run from the repository root:  python scripts/make_plot_images.py [--out docs/img]
Uses the `prison_health` sample, fixed seeds and no names, so the images are reproducible.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import connectnet as cn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("docs/img"), help="output folder")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    data = cn.load_sample("prison_health")
    waves = {w: cn.contact_graph(data, wave=w, symmetrise="union") for w in data.waves}
    last = list(waves.values())[-1]

    def save(ax: plt.Axes, name: str) -> None:
        ax.figure.tight_layout()
        path = args.out / f"plot_{name}.png"
        ax.figure.savefig(path, dpi=110)
        plt.close(ax.figure)
        print(path)

    _, ax = plt.subplots(figsize=(7, 6))
    save(cn.plot_network(last, size_by="degree", seed=1, ax=ax), "network")

    _, ax = plt.subplots(figsize=(5.5, 4.5))
    save(cn.plot_mixing(last, "sector", ax=ax), "mixing")

    _, ax = plt.subplots(figsize=(5.5, 4))
    expected = cn.ei_test(last, "sector", n_permutations=200, seed=1).expected
    save(cn.plot_ei(cn.group_ei_index(last, "sector"), expected=expected, ax=ax), "ei")

    _, ax = plt.subplots(figsize=(6.5, 4.5))
    save(cn.plot_change(cn.compare(waves, "sector"), ax=ax), "change")

    _, ax = plt.subplots(figsize=(9, 4.5))
    save(cn.plot_attendance(data, ax=ax), "attendance")

    _, ax = plt.subplots(figsize=(9, 4.5))
    save(cn.plot_attendance(data, by="first_time", ax=ax), "attendance_first_time")


if __name__ == "__main__":
    main()
