#!/usr/bin/env Rscript
# Reference results from RSiena for connectnet's SAOM tests (development only: the test
# suite reads the JSON this writes and never needs R).
#
# Usage (RSiena installed in a library of your own, e.g. built by hand from its source):
#   python scripts/saom_fixture_data.py            # our own synthetic panel data
#   R_LIBS=/path/to/lib Rscript scripts/saom_fixtures.R [--rsiena-data DIR] [--only NAME]
#
# Inputs: tests/fixtures/saom/data/<dataset>.json (schema at the top of
# scripts/saom_fixture_data.py). With --rsiena-data DIR, DIR holds RSiena's own example data
# exported as plain matrices (s50-network{1,2,3}.txt, s50-alcohol.txt, s50-smoke.txt,
# vdb-t3.txt, vdb-t4.txt; whitespace-separated, NA for missing); only numbers computed
# from them (no data) are written, to tests/fixtures/saom/rsiena_examples.json.
#
# Output: tests/fixtures/saom/<model>.json, one file per model, with this schema:
#   model            name of the model (the file's stem)
#   dataset          the data file's stem (or "s50" / "vdb" for RSiena's example data)
#   description      one line
#   rsiena_version   packageVersion("RSiena"), e.g. "1.6.2"
#   r_version        R.version.string
#   seed             seed given to sienaAlgorithmCreate
#   n3               phase-3 iterations; nsub: number of phase-2 subphases
#   conditional      TRUE if estimation was conditional on the observed distances
#   covariates       how each covariate entered: {name: "coCovar"|"varCovar"|"coDyadCovar"}
#                    plus, per covariate, "mean" (RSiena's centring value; missing values
#                    are imputed by it) and "n_missing"
#   composition      TRUE if a sienaCompositionChange object was used (option 1)
#   effects          list, in RSiena's parameter order (which puts dyadic before actor
#                    covariate effects), of
#                    {label, shortName, interaction1, effectName, type, parm,
#                     fixed, test, estimate, se, t_conv, target, target_by_period}
#                    label is connectnet's: "density", "recip", "transTrip",
#                    "<shortName> <covariate>" for covariate effects ("X coatt",
#                    "simX act"); target is the observed statistic summed over periods,
#                    target_by_period one value per period; fixed effects have se null
#   rates            list per period of {period, estimate, se, target (observed
#                    distance = number of tie changes, only for unconditional fits)}
#   max_convergence  overall maximum convergence ratio (tconv.max)
#   converged        t_conv all below 0.1 in absolute value and max_convergence < 0.25
#   elapsed_seconds  wall-clock time of siena07 on the machine that wrote the file
#   only_targets     TRUE for "targets_*" models: estimation was not run to convergence
#                    (nsub = 0): only the targets (observed statistics) are meaningful
#   score_test       (when an effect was fixed at 0 and tested) {effects, chi_squared,
#                    df, p, one_sided, one_step (one-step estimates of the tested
#                    effects, Schweinberger 2012)}
#   time_test        (three waves or more) sienaTimeTest: {joint: {chi_squared, df, p},
#                    by_effect: [{label, chi_squared, df, p}], dummies: [{label,
#                    period, estimate_one_step}]}
#   gof              (when returnDeps) {statistic: {levels, cumulative, join, p,
#                    p_by_period, observed_distance, observed, simulated_mean,
#                    simulated_sd, n_sim}} for "indegree", "outdegree" (counts of
#                    actors with degree <= level, levels 0..8), "triad_census" (the 16
#                    Holland-Leinhardt types in sna's order 003, 012, 102, 021D, 021U,
#                    021C, 111D, 111U, 030T, 030C, 201, 120D, 120U, 120C, 210, 300) and
#                    "geodesic" (ordered pairs (i, j), i = j included, at undirected
#                    distance <= level in the weakly symmetrised network, levels 1..5
#                    and Inf; sna::geodist) at the end of each period; with join = TRUE
#                    sienaGOF adds the periods' vectors up (observed, simulated_* are
#                    these sums) and p is its Mahalanobis-distance p-value
suppressPackageStartupMessages({
  library(RSiena)
  library(jsonlite)
  library(sna)
})

args <- commandArgs(trailingOnly = TRUE)
arg_value <- function(flag) {
  k <- match(flag, args)
  if (is.na(k)) NULL else args[[k + 1]]
}
root <- normalizePath(file.path(dirname(sub("^--file=", "",
  grep("^--file=", commandArgs(), value = TRUE)[1])), ".."))
out_dir <- file.path(root, "tests", "fixtures", "saom")
data_dir <- file.path(out_dir, "data")
rsiena_data <- arg_value("--rsiena-data")
only <- arg_value("--only")

read_dataset <- function(name) {
  d <- fromJSON(file.path(data_dir, paste0(name, ".json")), simplifyVector = TRUE)
  d$array <- array(NA_real_, dim = c(d$n_actors, d$n_actors, d$n_waves))
  for (m in seq_len(d$n_waves)) d$array[, , m] <- d$waves[m, , ]
  d
}

siena_data <- function(d, changing = TRUE, composition = FALSE) {
  M <- d$n_waves
  parts <- list(net = sienaDependent(d$array))
  kinds <- list()
  parts$sex <- coCovar(d$constant$sex)
  kinds$sex <- "coCovar"
  if (changing && M >= 3) {
    parts$act <- varCovar(d$changing$act[, 1:(M - 1), drop = FALSE])
    kinds$act <- "varCovar"
  } else {
    parts$act <- coCovar(d$changing$act[, 1])
    kinds$act <- "coCovar"
  }
  parts$coatt <- coDyadCovar(d$dyadic$coatt)
  kinds$coatt <- "coDyadCovar"
  if (composition) {
    intervals <- d$composition
    if (is.matrix(intervals)) {
      intervals <- lapply(seq_len(nrow(intervals)), function(i) intervals[i, ])
    }
    parts$changes <- sienaCompositionChange(intervals)
  }
  list(data = do.call(sienaDataCreate, parts), kinds = kinds)
}

covariate_info <- function(sd, kinds) {
  out <- list()
  for (name in names(kinds)) {
    values <- switch(kinds[[name]],
      coCovar = sd$cCovars[[name]], varCovar = sd$vCovars[[name]],
      coDyadCovar = sd$dycCovars[[name]])
    raw <- attr(values, "mean")
    out[[name]] <- list(kind = kinds[[name]], mean = if (is.null(raw)) NA else unname(raw),
      n_missing = sum(is.na(values)))
  }
  out
}

add_effects <- function(eff, spec) {
  # spec: list of c(shortName, interaction1, "fix") rows; "fix" means fixed at 0, tested
  for (s in spec) {
    short <- s[[1]]
    inter <- if (length(s) >= 2 && nzchar(s[[2]])) s[[2]] else ""
    fix <- length(s) >= 3 && s[[3]] == "fix"
    eff <- setEffect(eff, short, interaction1 = inter, include = TRUE, fix = fix,
      test = fix, initialValue = 0, character = TRUE, verbose = FALSE)
  }
  eff
}

label_of <- function(short, inter) {
  if (is.na(inter) || inter == "") short else paste(short, inter)
}

fit_model <- function(sd, spec, seed, n3 = 1000, nsub = 4, returnDeps = FALSE,
                      conditional = TRUE) {
  eff <- add_effects(getEffects(sd), spec)
  alg <- sienaAlgorithmCreate(projname = NULL, seed = seed, n3 = n3, nsub = nsub,
    cond = if (conditional) NA else FALSE)
  t0 <- proc.time()[["elapsed"]]
  ans <- siena07(alg, data = sd, effects = eff, batch = TRUE, verbose = FALSE,
    silent = TRUE, useCluster = FALSE, returnDeps = returnDeps)
  ans$elapsed <- proc.time()[["elapsed"]] - t0
  ans
}

num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NA else unname(x)

summarise_fit <- function(ans, model, dataset, description, seed, covariates,
                          composition = FALSE, only_targets = FALSE) {
  re <- as.data.frame(ans$requestedEffects)
  targets2 <- as.matrix(ans$targets2)
  is_rate <- re$basicRate
  effects <- list()
  for (k in which(!is_rate)) {
    fixed <- isTRUE(ans$fixed[k])
    effects[[length(effects) + 1]] <- list(
      label = label_of(re$shortName[k], re$interaction1[k]),
      shortName = re$shortName[k], interaction1 = re$interaction1[k],
      effectName = re$effectName[k], type = re$type[k], parm = re$parm[k],
      fixed = fixed, test = isTRUE(ans$test[k]),
      estimate = unname(ans$theta[k]), se = if (fixed) NA else unname(ans$se[k]),
      t_conv = unname(ans$tconv[k]), target = unname(ans$targets[k]),
      target_by_period = unname(targets2[k, ]))
  }
  rates <- list()
  if (ans$cconditional) {
    for (m in seq_along(ans$rate)) {
      rates[[m]] <- list(period = m, estimate = unname(ans$rate[m]),
        se = unname(ans$vrate[m]), target = NA)
    }
  } else {
    for (k in which(is_rate)) {
      rates[[length(rates) + 1]] <- list(period = as.integer(re$period[k]),
        estimate = unname(ans$theta[k]), se = unname(ans$se[k]),
        target = unname(ans$targets[k]), t_conv = unname(ans$tconv[k]))
    }
  }
  tconv <- ans$tconv[!ans$fixed]
  list(model = model, dataset = dataset, description = description,
    rsiena_version = as.character(packageVersion("RSiena")),
    r_version = R.version.string, seed = seed, n3 = ans$n3, nsub = ans$x$nsub,
    conditional = isTRUE(ans$cconditional), covariates = covariates,
    composition = composition, effects = effects, rates = rates,
    max_convergence = unname(ans$tconv.max[1]),
    converged = all(abs(tconv) < 0.1) && ans$tconv.max[1] < 0.25,
    elapsed_seconds = ans$elapsed, only_targets = only_targets)
}

score_test <- function(ans) {
  tested <- which(ans$test)
  re <- as.data.frame(ans$requestedEffects)
  df <- length(tested)
  one_step <- unname(ans$oneStep[tested]) + unname(ans$theta[tested])
  list(effects = vapply(tested, function(k) label_of(re$shortName[k], re$interaction1[k]), ""),
    chi_squared = as.vector(ans$testresOverall)[1], df = df,
    p = 1 - pchisq(as.vector(ans$testresOverall)[1], df),
    one_sided = if (df == 1) unname(ans$testresulto[1]) else NA,
    one_step = one_step)
}

time_test <- function(ans) {
  tt <- sienaTimeTest(ans)
  re <- as.data.frame(ans$requestedEffects)
  base <- re[!re$basicRate, ]
  et <- as.matrix(tt$EffectTest)
  by_effect <- lapply(seq_len(nrow(et)), function(r) list(
    effectName = rownames(et)[r], chi_squared = unname(et[r, 1]),
    df = unname(et[r, 2]), p = unname(et[r, 3])))
  list(joint = list(chi_squared = as.vector(tt$JointTestStatistics$testresOverall)[1],
      df = length(tt$IndividualTestStatistics), p = unname(tt$JointTest[1])),
    by_effect = by_effect,
    effect_labels = vapply(seq_len(nrow(base)), function(k)
      label_of(base$shortName[k], base$interaction1[k]), ""))
}

geodesic_distribution <- function(i, obsData, sims, period, groupName, varName,
                                  levls = c(1:5, Inf), cumulative = TRUE) {
  x <- as.matrix(sparseMatrixExtraction(i, obsData, sims, period, groupName, varName))
  x[is.na(x)] <- 0
  a <- sna::geodist(sna::symmetrize(x, rule = "weak"))$gdist
  gdi <- sapply(levls, function(l) if (cumulative) sum(a <= l) else sum(a == l))
  names(gdi) <- as.character(levls)
  gdi
}

gof_summary <- function(ans, fun, levels, cumulative) {
  joint <- sienaGOF(ans, fun, varName = "net", verbose = FALSE, join = TRUE)
  split <- sienaGOF(ans, fun, varName = "net", verbose = FALSE, join = FALSE)
  sims <- joint$Joint$Simulations
  list(levels = levels, cumulative = cumulative, join = TRUE,
    p = unname(joint$Joint$p),
    p_by_period = unname(vapply(split, function(g) g$p, 0)),
    observed_distance = unname(joint$Joint$ObservedTestStat),
    observed = unname(as.vector(joint$Joint$Observations)),
    simulated_mean = unname(colMeans(sims)), simulated_sd = unname(apply(sims, 2, sd)),
    n_sim = nrow(sims))
}

gof_all <- function(ans) {
  list(
    indegree = gof_summary(ans, IndegreeDistribution, 0:8, TRUE),
    outdegree = gof_summary(ans, OutdegreeDistribution, 0:8, TRUE),
    triad_census = gof_summary(ans, TriadCensus, 1:16, FALSE),
    geodesic = gof_summary(ans, geodesic_distribution, c(1:5, "Inf"), TRUE))
}

write_fixture <- function(x, name) {
  path <- file.path(out_dir, paste0(name, ".json"))
  writeLines(toJSON(x, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), path)
  cat("wrote", path, "\n")
}

wanted <- function(name) is.null(only) || only == name

# ---- targets of every effect of the SAOM issue (no estimation) ----
all_effects <- function(act_name) list(
  c("density"), c("recip"), c("transTrip"), c("transTies"), c("cycle3"),
  c("inPop"), c("outPop"), c("outAct"), c("inAct"),
  c("egoX", "sex"), c("altX", "sex"), c("simX", "sex"), c("sameX", "sex"),
  c("egoXaltX", "sex"),
  c("egoX", act_name), c("altX", act_name), c("simX", act_name),
  c("sameX", act_name), c("egoXaltX", act_name), c("X", "coatt"))

for (ds in c("two_wave", "three_wave", "missing", "composition")) {
  name <- paste0("targets_", ds)
  if (!wanted(name)) next
  d <- read_dataset(ds)
  built <- siena_data(d, composition = ds == "composition")
  ans <- fit_model(built$data, all_effects("act"), seed = 101, n3 = 10, nsub = 0)
  write_fixture(summarise_fit(ans, name, ds,
    "observed target statistics of every effect; no estimation", 101,
    covariate_info(built$data, built$kinds), composition = ds == "composition",
    only_targets = TRUE), name)
}

# ---- estimated models ----
models <- list(
  two_wave_covariates = list(dataset = "two_wave", seed = 201,
    description = "two waves: structure, sex ego/alter/same, dyadic co-attendance",
    spec = list(c("density"), c("recip"), c("transTrip"), c("egoX", "sex"),
      c("altX", "sex"), c("sameX", "sex"), c("X", "coatt"))),
  three_wave_main = list(dataset = "three_wave", seed = 202, gof = TRUE, time = TRUE,
    description = "three waves: structure, same sex, similarity of changing act, co-attendance",
    spec = list(c("density"), c("recip"), c("transTrip"), c("cycle3"), c("inPop"),
      c("sameX", "sex"), c("simX", "act"), c("X", "coatt"))),
  three_wave_degree = list(dataset = "three_wave", seed = 203,
    description = "three waves: degree effects (outPop, outAct; inAct is the same statistic as outPop) and ego/alter/ego-x-alter of act",
    spec = list(c("density"), c("recip"), c("transTies"), c("outAct"), c("outPop"),
      c("egoX", "act"), c("altX", "act"), c("egoXaltX", "act"))),
  three_wave_score = list(dataset = "three_wave", seed = 204,
    description = "three_wave_main with egoX act fixed at 0 and score-tested",
    spec = list(c("density"), c("recip"), c("transTrip"), c("cycle3"), c("inPop"),
      c("sameX", "sex"), c("simX", "act"), c("X", "coatt"), c("egoX", "act", "fix"))),
  three_wave_unconditional = list(dataset = "three_wave", seed = 207, conditional = FALSE,
    description = "three_wave_main estimated unconditionally (rates by their own moments)",
    spec = list(c("density"), c("recip"), c("transTrip"), c("cycle3"), c("inPop"),
      c("sameX", "sex"), c("simX", "act"), c("X", "coatt"))),
  missing_main = list(dataset = "missing", seed = 205,
    description = "three waves, about 25% non-respondents per wave, 8% missing covariates",
    spec = list(c("density"), c("recip"), c("transTrip"), c("sameX", "sex"),
      c("simX", "act"), c("X", "coatt"))),
  composition_main = list(dataset = "composition", seed = 206, composition = TRUE,
    description = "three waves, 12 joiners and 4 leavers at period starts (Huisman & Snijders 2003)",
    spec = list(c("density"), c("recip"), c("transTrip"), c("sameX", "sex"),
      c("X", "coatt"))))

for (name in names(models)) {
  if (!wanted(name)) next
  m <- models[[name]]
  d <- read_dataset(m$dataset)
  built <- siena_data(d, composition = isTRUE(m$composition))
  ans <- fit_model(built$data, m$spec, seed = m$seed, returnDeps = isTRUE(m$gof),
    conditional = !identical(m$conditional, FALSE))
  out <- summarise_fit(ans, name, m$dataset, m$description, m$seed,
    covariate_info(built$data, built$kinds), composition = isTRUE(m$composition))
  if (any(ans$test)) out$score_test <- score_test(ans)
  if (isTRUE(m$time)) out$time_test <- time_test(ans)
  if (isTRUE(m$gof)) out$gof <- gof_all(ans)
  write_fixture(out, name)
}

# ---- RSiena's own example data: numbers only ----
if (!is.null(rsiena_data) && wanted("rsiena_examples")) {
  rd <- function(f) as.matrix(read.table(file.path(rsiena_data, f)))
  s50 <- sienaDependent(array(c(rd("s50-network1.txt"), rd("s50-network2.txt"),
    rd("s50-network3.txt")), dim = c(50, 50, 3)))
  smoke1 <- coCovar(rd("s50-smoke.txt")[, 1])
  alcohol <- varCovar(rd("s50-alcohol.txt"))
  s50data <- sienaDataCreate(net = s50, smoke1 = smoke1, alcohol = alcohol)
  s50spec <- list(c("density"), c("recip"), c("transTrip"), c("cycle3"),
    c("simX", "smoke1"), c("egoX", "alcohol"), c("altX", "alcohol"),
    c("simX", "alcohol"))
  s50fit <- summarise_fit(fit_model(s50data, s50spec, seed = 301), "s50_8effects", "s50",
    "RSiena s50, three waves, the SAOM issue's 8-effect model", 301,
    covariate_info(s50data, list(smoke1 = "coCovar", alcohol = "varCovar")))
  s50targets <- summarise_fit(fit_model(s50data, all_effects("alcohol")[c(1:9, 15:19)],
    seed = 302, n3 = 10, nsub = 0), "s50_targets", "s50",
    "RSiena s50: observed targets of the structural and alcohol effects", 302,
    covariate_info(s50data, list(smoke1 = "coCovar", alcohol = "varCovar")),
    only_targets = TRUE)
  vdb <- sienaDependent(array(c(rd("vdb-t3.txt"), rd("vdb-t4.txt")), dim = c(32, 32, 2)))
  vdbdata <- sienaDataCreate(net = vdb)
  vdbfit <- summarise_fit(fit_model(vdbdata, list(c("density"), c("recip"),
    c("transTrip")), seed = 303), "vdb_structural", "vdb",
    "RSiena van de Bunt freshmen t3-t4 (with missing ties): density, recip, transTrip",
    303, list())
  write_fixture(list(rsiena_version = as.character(packageVersion("RSiena")),
    note = "numbers computed by RSiena on its own example data; no data included",
    models = list(s50_8effects = s50fit, s50_targets = s50targets,
      vdb_structural = vdbfit)), "rsiena_examples")
}
