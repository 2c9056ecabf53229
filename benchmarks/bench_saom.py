"""Speed of connectnet.fit_saom on RSiena's s50 example against RSiena itself.

The model (issue 14): the three-wave s50 friendship network (50 pupils), conditional
method of moments with 1,000 phase-3 runs, eight effects — outdegree, reciprocity,
transitive triplets, 3-cycles, smoking similarity (``smoke1`` = smoking at wave 1,
constant) and alcohol ego, alter and similarity (alcohol changing: its value at the
start of each period, RSiena's ``varCovar``).

Data: the s50 matrices come from R's installed RSiena package (exported with Rscript to a
temporary folder; never stored in this repository), or from ``--s50-dir`` holding
``s501.txt s502.txt s503.txt s50a.txt s50s.txt`` (whitespace-separated, as R's
``write.table`` gives them). Without either, a synthetic s50-sized data set simulated
from the model at s50-like parameters is used and said so.

Printed: our time (after a warm-up fit that loads the compiled kernels), ministeps per
second, and — when R and RSiena are installed — RSiena's ``siena07`` time for the same
model on the same machine, the ratio, and both sets of estimates side by side.

Calibration (``--calibrate R``): R data sets of 30 actors and three waves simulated
from density -1.5, reciprocity 1.5 and an actor covariate with no effect (``egoX v`` =
0); each is fitted and the rejection rate of the Wald test of ``egoX v`` at 0.05 and 0.01
is printed with a 95 % binomial interval, with the coverage of the 95 % Wald intervals
of all three parameters.

Usage::

    python benchmarks/bench_saom.py                 # s50, 1,000 phase-3 runs
    python benchmarks/bench_saom.py --n3 200        # quicker
    python benchmarks/bench_saom.py --no-rsiena     # ours only
    python benchmarks/bench_saom.py --calibrate 200 # Wald test under the null
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

import connectnet as cn

EFFECTS = [
    "density",
    "recip",
    "transTrip",
    "cycle3",
    ("simX", "smoke1"),
    ("egoX", "alcohol"),
    ("altX", "alcohol"),
    ("simX", "alcohol"),
]
NAMES = ("s501", "s502", "s503", "s50a", "s50s")

EXPORT_R = """
suppressMessages(library(RSiena))
out <- commandArgs(trailingOnly = TRUE)[1]
for (nm in c("s501", "s502", "s503", "s50a", "s50s"))
    write.table(get(nm), file.path(out, paste0(nm, ".txt")), row.names = FALSE,
                col.names = FALSE)
"""

# RSiena's own estimation of the same model, timed inside R (siena07 only).
RSIENA_R = """
suppressMessages(library(RSiena))
args <- commandArgs(trailingOnly = TRUE)
n3 <- as.integer(args[1]); seed <- as.integer(args[2])
friendship <- sienaDependent(array(c(s501, s502, s503), dim = c(50, 50, 3)))
smoke1 <- coCovar(s50s[, 1])
alcohol <- varCovar(s50a[, 1:2])
mydata <- sienaDataCreate(friendship, smoke1, alcohol)
eff <- getEffects(mydata)
eff <- includeEffects(eff, transTrip, cycle3, verbose = FALSE)
eff <- includeEffects(eff, simX, interaction1 = "smoke1", verbose = FALSE)
eff <- includeEffects(eff, egoX, altX, simX, interaction1 = "alcohol", verbose = FALSE)
alg <- sienaAlgorithmCreate(projname = NULL, n3 = n3, seed = seed)
t <- system.time(ans <- siena07(alg, data = mydata, effects = eff, batch = TRUE,
                                 silent = TRUE, useCluster = FALSE))[["elapsed"]]
re <- ans$requestedEffects[!ans$requestedEffects$basicRate, ]
cat("LABELS", ifelse(re$interaction1 == "", re$shortName,
                     paste0(re$shortName, ":", re$interaction1)), "\\n")
cat("TIME", t, "\\n")
cat("THETA", ans$theta, "\\n")
cat("SE", sqrt(diag(ans$covtheta)), "\\n")
cat("RATE", ans$rate, "\\n")
cat("TCONVMAX", ans$tconv.max, "\\n")
"""


def have_rsiena() -> bool:
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(
        ["Rscript", "-e", "suppressMessages(library(RSiena))"], capture_output=True, check=False
    )
    return probe.returncode == 0


def load_s50(folder: Path | None) -> tuple[dict[str, np.ndarray] | None, str]:
    if folder is not None:
        return {nm: np.loadtxt(folder / f"{nm}.txt") for nm in NAMES}, f"s50 from {folder}"
    if have_rsiena():
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "export.R"
            script.write_text(EXPORT_R)
            subprocess.run(["Rscript", str(script), tmp], check=True, capture_output=True)
            return {nm: np.loadtxt(Path(tmp) / f"{nm}.txt") for nm in NAMES}, (
                "s50 from R's RSiena package"
            )
    return None, "synthetic s50-sized data (RSiena not installed; give --s50-dir for s50)"


def synthetic_s50(seed: int) -> dict[str, np.ndarray]:
    """Three waves simulated from the model at s50-like parameters (alcohol constant)."""
    rng = np.random.default_rng(seed)
    alc = np.repeat(rng.integers(1, 6, size=(50, 1)), 3, axis=1).astype(float)
    smk = rng.integers(1, 4, size=(50, 3)).astype(float)
    x = (rng.random((50, 50)) < 0.05).astype(float)
    np.fill_diagonal(x, 0)
    theta = [-2.7, 2.4, 0.65, -0.1, 0.2, 0.05, 0.0, 0.8]
    covariates = {"smoke1": smk[:, 0], "alcohol": alc[:, 0]}
    waves = simulate_waves(x, EFFECTS, theta, [6.5, 5.2], rng, covariates)
    return dict(zip(NAMES, [*waves, alc, smk], strict=True))


def fit_ours(s50: dict[str, np.ndarray], n3: int, seed: int):
    return cn.fit_saom(
        [s50["s501"], s50["s502"], s50["s503"]],
        EFFECTS,
        covariates={"smoke1": s50["s50s"][:, 0], "alcohol": s50["s50a"][:, :2]},
        n_phase3=n3,
        seed=seed,
        progress=False,
    )


def run_rsiena(n3: int, seed: int) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "fit.R"
        script.write_text(RSIENA_R)
        proc = subprocess.run(
            ["Rscript", str(script), str(n3), str(seed)],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        )
    out: dict = {}
    for line in proc.stdout.splitlines():
        key, *vals = line.split()
        if key == "LABELS":  # RSiena's parameter order, e.g. "altX:alcohol"
            out[key] = [v.replace(":", " ") for v in vals]
        elif key in {"TIME", "THETA", "SE", "RATE", "TCONVMAX"}:
            out[key] = [float(v) for v in vals]
    return out


def simulate_waves(x0, effects, theta, rates, rng, covariates=None):
    """Waves from the model itself (unconditional simulation, period after period)."""
    from connectnet.saom import _simulate
    from connectnet.saom._data import prepare

    waves = [x0.astype(float)]
    for rate in rates:
        data = prepare([waves[-1], waves[-1]], effects, covariates=covariates)
        run = _simulate.simulate_once(
            data, np.asarray(theta, float), np.array([rate]), conditional=False, rng=rng
        )
        waves.append(run.ends[0].astype(float))
    return waves


def calibrate(reps: int, n3: int, seed: int) -> None:
    from scipy.stats import binomtest

    effects = ["density", "recip", ("egoX", "v")]
    truth = np.array([-1.5, 1.5, 0.0])
    rng = np.random.default_rng(seed)
    reject05 = reject01 = 0
    covered = np.zeros(3)
    t0 = time.perf_counter()
    for _ in range(reps):
        v = rng.normal(size=30)
        x0 = (rng.random((30, 30)) < 0.1).astype(float)
        np.fill_diagonal(x0, 0)
        waves = simulate_waves(x0, effects, truth, [4.0, 4.0], rng, {"v": v})
        res = cn.fit_saom(
            waves, effects, covariates={"v": v}, n_phase3=n3, seed=int(rng.integers(2**31))
        )
        frame = res.to_frame()
        p = frame.loc["egoX v", "p"]
        reject05 += p < 0.05
        reject01 += p < 0.01
        covered += np.abs(frame["estimate"].to_numpy() - truth) < 1.96 * frame["se"].to_numpy()
    print(f"calibration: {reps} fits in {time.perf_counter() - t0:.0f} s")
    for alpha, k in ((0.05, reject05), (0.01, reject01)):
        ci = binomtest(int(k), reps).proportion_ci()
        print(
            f"  Wald test of egoX v = 0 at {alpha}: rejection rate {k / reps:.3f} "
            f"(95 % CI {ci.low:.3f}-{ci.high:.3f})"
        )
    for label, c in zip(["density", "recip", "egoX v"], covered, strict=True):
        print(f"  coverage of the 95 % Wald interval, {label}: {c / reps:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n3", type=int, default=1000, help="phase-3 runs (RSiena: 1000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--s50-dir", type=Path, default=None)
    parser.add_argument("--no-rsiena", action="store_true", help="do not run RSiena")
    parser.add_argument("--calibrate", type=int, default=0, metavar="R", help="null fits")
    args = parser.parse_args()
    if args.calibrate:
        calibrate(args.calibrate, min(args.n3, 500), args.seed)
        return

    s50, source = load_s50(args.s50_dir)
    if s50 is None:
        s50 = synthetic_s50(args.seed)
    print(f"data: {source}")

    t0 = time.perf_counter()
    fit_ours(s50, 10, 0)  # warm-up: loads (or compiles) the numba kernels
    print(f"warm-up fit (kernel load/compile): {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    res = fit_ours(s50, args.n3, args.seed)
    ours = time.perf_counter() - t0
    print(res)
    print(
        f"\nconnectnet: {ours:.2f} s, {res.ministeps:,} ministeps in "
        f"{sum(res.n_iterations):,} simulations ({res.n_iterations}), "
        f"{res.ministeps / ours:,.0f} ministeps/s"
    )

    if args.no_rsiena or not have_rsiena():
        print("RSiena: not run (R with RSiena not installed, or --no-rsiena)")
        return
    r = run_rsiena(args.n3, args.seed)
    rtime = r["TIME"][0]
    print(f"RSiena siena07: {rtime:.2f} s  ->  connectnet / RSiena time = {ours / rtime:.2f}")
    frame = res.to_frame()
    print(f"\n{'effect':<16}{'ours':>9}{'(se)':>8}{'RSiena':>9}{'(se)':>8}{'diff/se':>9}")
    theirs = {lab: k for k, lab in enumerate(r["LABELS"])}
    for label in frame.index:
        est, se = frame.loc[label, "estimate"], frame.loc[label, "se"]
        k = theirs[label]
        rest, rse = r["THETA"][k], r["SE"][k]
        print(f"{label:<16}{est:>9.3f}{se:>8.3f}{rest:>9.3f}{rse:>8.3f}{(est - rest) / rse:>9.2f}")
    print(f"rates: ours {np.round(res.rates['rate'].to_numpy(), 3)}, RSiena {r['RATE']}")
    print(f"max convergence: ours {res.max_convergence:.3f}, RSiena {r['TCONVMAX'][0]:.3f}")


if __name__ == "__main__":
    main()
