"""Write the example notebooks in ``notebooks/`` from the Python source below.

The notebooks are kept here as lists of cells so that they are easy to review and edit;
run this script after changing a cell and commit both this file and the notebooks::

    python scripts/make_notebooks.py            # write notebooks/*.ipynb (no outputs)
    python scripts/make_notebooks.py --check    # exit 1 if a notebook is out of date

``tests/test_notebooks.py`` executes every notebook top to bottom.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from textwrap import dedent

import nbformat

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "notebooks"


def md(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_markdown_cell(dedent(text).strip("\n"))


def code(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(dedent(text).strip("\n"))


SETUP = """
import pandas as pd

import connectnet as cn

pd.set_option("display.width", 120)
pd.set_option("display.max_columns", 12)
pd.set_option("display.float_format", "{:.4g}".format)
"""

# --------------------------------------------------------------------------------------
# 01 quickstart
# --------------------------------------------------------------------------------------
QUICKSTART = [
    md(
        """
        # connectnet quickstart

        This notebook takes a sample dataset from raw registers to a network map and a
        handful of headline numbers in a few minutes. The sample, `prison_health`, is a
        (fictional) Prison Health network: a national conference of 140 prison staff, NHS
        clinicians and managers and civil servants, then regional follow-up meetings, with a
        "whom do you work with?" survey before and after.

        Every person in the samples is invented.
        """
    ),
    code(SETUP),
    md(
        """
        ## 1. Load the data and read the load report

        `load_sample` reads the same tidy tables you would use for your own data (people,
        organisations, events, attendance, contacts; see `docs/data-format.md`); for your
        own folder use `cn.read_dataset("path/to/folder")`.

        Real registers are messy. connectnet never drops or changes a row silently: every
        fix is listed in `data.load_report` with the file, the row and the reason. Read it
        before anything else — here a sector label was tidied, a duplicate register line
        kept once, a person who named themself in the survey dropped, and two people who
        may be the same person flagged (not merged: you decide).
        """
    ),
    code(
        """
        print(cn.list_samples())
        data = cn.load_sample("prison_health")
        print(data)
        data.load_report
        """
    ),
    code(
        """
        data.people.head()
        """
    ),
    md(
        """
        ## 2. Two kinds of network

        * **Co-attendance**: two people are linked when they attended the same event; the
          edge weight counts the events they shared. It shows *opportunity* to meet.
        * **Contacts**: from the survey, an arrow from the person who answered to each
          person they named. It shows *reported working relationships*. One graph per
          survey wave; `symmetrise="union"` turns it into an undirected "either named the
          other" network.

        The national conference put all 140 people in one room, so co-attendance over all
        events links everyone to everyone (a complete graph says nothing). Restricting to
        the regional follow-up meetings shows who met in smaller groups.
        """
    ),
    code(
        """
        everyone = cn.coattendance_graph(data)
        follow_ups = data.events.index[data.events.theme == "regional_follow_up"]
        met = cn.coattendance_graph(data, events=follow_ups)
        contacts = cn.contact_graph(data, wave="follow-up", symmetrise="union")
        print("all events:        ", everyone)
        print("follow-up meetings:", met)
        print("contacts, follow-up wave:", contacts)
        """
    ),
    md(
        """
        ## 3. A map

        `cn.show_map` draws an interactive map inline (it works offline: nothing is loaded
        from the internet). Colour = sector, dot size = number of contacts; hover over a
        dot for the person's details, click it to see who they know, type a name in the
        search box, tick the filters on the left, scroll to zoom. `cn.write_map`
        saves the same map as a stand-alone HTML file you can email, and
        `hide_names=True, salt=...` replaces names with codes before sharing.
        """
    ),
    code(
        """
        cn.show_map(contacts, size_by="degree", seed=1, title="Who works with whom (follow-up)")
        """
    ),
    md(
        """
        ## 4. Key numbers

        **Cohesion** (`cohesion_summary`): *density* is the share of all possible pairs who
        are linked (small in any real network of this size); *components* and *largest
        component share* say whether the network is one piece; *isolates* are people with
        no link; *within/between group density* compare links inside sectors with links
        across them.
        """
    ),
    code(
        """
        cn.cohesion_summary(contacts, "sector", seed=1).to_frame()
        """
    ),
    md(
        """
        **Bridging** — the E-I index (Krackhardt and Stern) is
        (external − internal) / (external + internal) ties: −1 means every tie stays inside
        a sector, +1 means every tie crosses sectors. `group_ei_index` gives it per sector.
        Because bigger sectors have more colleagues to link with, compare the value with
        what random mixing would give: `ei_test` shuffles the sector labels and reports
        the expected value and permutation p-values. A small `p_internal` means ties stay
        inside sectors *more* than chance would give; a small `p_external` means they
        cross sectors more than chance. `rescaled` puts the value on a −1…+1 scale given
        how many ties there are.
        """
    ),
    code(
        """
        print(f"E-I index, whole network: {cn.ei_index(contacts):.2f}")
        test = cn.ei_test(contacts, n_permutations=199, seed=1)
        print(test)
        cn.group_ei_index(contacts)
        """
    ),
    code(
        """
        ax = cn.plot_ei(cn.group_ei_index(contacts), expected=test.expected)
        """
    ),
    md(
        """
        **Who bridges?** `bridging_table` lists, per person, the measures that pick out
        key cross-sector links: betweenness (how often they lie on shortest paths),
        `cross_sector_degree` (contacts in another sector), Burt's constraint (low = many
        non-redundant contacts) and brokerage roles. Read betweenness together with
        cross-sector degree: a high value alone may just mean a busy organiser.
        """
    ),
    code(
        """
        table = cn.bridging_table(contacts)
        table[["group", "degree", "cross_sector_degree", "betweenness", "constraint"]].head(8)
        """
    ),
    md(
        """
        ## Next

        * `02-did-the-network-improve-prison-nhs-connections` — did the programme work?
          Before/after tests, done properly.
        * `connectnet report --sample prison_health --out report/ --within region`
          produces all of this (and more) as a stand-alone HTML report, each figure
          stated with whom it covers and what a tie is; `--json` also writes the figures
          with their definitions to `report.json`.
        """
    ),
]

# --------------------------------------------------------------------------------------
# 02 did the network improve prison–NHS connections?
# --------------------------------------------------------------------------------------
PRISON = [
    md(
        """
        # Did the network improve prison–NHS connections?

        The evaluation question for the (fictional) Prison Health network: after the
        national conference and the regional follow-up meetings, do prisons work more with
        their **local** NHS services? We have a contact survey just before the conference
        (`baseline`) and about six months later (`follow-up`), plus the meeting registers.

        The plan:

        1. one contact network per survey wave, and who answered each wave;
        2. like-for-like comparison of the waves (`compare`, `tie_changes`);
        3. permutation tests of the change (`ei_change_test`), for the E-I index and for
           the density of prison→NHS ties within a region;
        4. a network regression (MRQAP, `qap_regression`) with pair-level covariates;
        5. dose–response: did people who went to more follow-up meetings gain more
           cross-sector contacts (`exposure_effect`)?
        6. before/after maps and plots.
        """
    ),
    code(
        SETUP
        + """
import matplotlib.pyplot as plt
import networkx as nx

data = cn.load_sample("prison_health")
print(data)
"""
    ),
    md(
        """
        ## 1. One network per wave, and non-response

        `snapshots` returns one directed contact graph per wave (an arrow from the person
        who answered to each person they named), all over the same set of people.

        Non-response matters: someone who did not answer a wave names nobody, so naively
        they would appear to have *lost* all their ties (or, at baseline, to have *gained*
        them later). connectnet therefore **aligns** the waves: by default every
        comparison uses only people who answered both waves (a person "answered" if they
        named at least one contact; pass `respondents=` if you hold the real response
        list) and reports who was left out.
        """
    ),
    code(
        """
        waves = cn.snapshots(data, kind="contact", by="wave")
        before, after = waves["baseline"], waves["follow-up"]

        contacts = data.contacts
        answered = {w: set(contacts.loc[contacts["wave"] == w, "source"]) for w in data.waves}
        response = pd.DataFrame(
            {w: data.people.index.isin(list(ids)) for w, ids in answered.items()},
            index=data.people.index,
        )
        print(pd.crosstab(response["baseline"], response["follow-up"], margins=True))
        print("answered both waves:", int(response.all(axis=1).sum()), "of", len(response))
        """
    ),
    md(
        """
        ## 2. What changed, like for like

        `compare` puts the network measures of each wave side by side, measured on the
        same aligned people, with the change and relative change. Passing `source`,
        `target` and `within` adds the focal measure: the share of prison staff with at
        least one direct contact in an NHS organisation **of their own region**.
        """
    ),
    code(
        """
        table = cn.compare(waves, source="prison", target="nhs", within="region")
        print(f"compared {table.attrs['n_nodes']} people; {table.attrs['n_excluded']} left out")
        table
        """
    ),
    md(
        """
        `tie_changes` counts ties before and after, new, lost and kept, per sector pair.
        *Stability* is the Jaccard similarity of the two tie sets (kept / all ties seen in
        either wave): surveys are noisy, and even in a stable network a good share of named
        ties change between waves — so one should not read every new tie as an effect.
        """
    ),
    code(
        """
        cn.tie_changes(before, after, "sector")
        """
    ),
    md(
        """
        ## 3. Is the change more than noise? Paired permutation tests

        `ei_change_test` asks: *if nothing had happened between the waves, how large a
        change would we see by chance?* For every pair of people whose tie differs between
        the waves, it swaps the two waves at random (a coin flip per pair) and recomputes
        the change. The **null hypothesis** is that the two waves are exchangeable — the
        same process produced both. The p-value is the share of the random swaps with a
        change at least as extreme as the observed one, `(b + 1) / (R + 1)`.

        * **Two-sided** (`alternative="two-sided"`, default): "did it change at all?" Use it
          unless you stated the direction in advance.
        * **One-sided** (`alternative="greater"`): "did it rise?" — right for a pre-stated
          hypothesis that the programme increases ties; state this in the protocol.
        * With 199 permutations the smallest possible p-value is 1/200 = 0.005; use 999 or
          more for a final analysis.

        First the E-I index by sector (does the network mix sectors more?).
        """
    ),
    code(
        """
        ei_change = cn.ei_change_test(before, after, "sector", n_permutations=199, seed=1)
        ei_change
        """
    ),
    md(
        """
        Now the focal question: the density of prison→NHS ties between people **in the
        same region** (`source="prison", target="nhs", within="region"`), tested
        one-sided because the programme set out to raise it.

        How to report it: *"Among the N people who answered both waves, the density of
        within-region prison→NHS ties rose from a to b (change c; paired dyad-swap
        permutation test, one-sided p = p, R permutations)."* The cell below writes that
        sentence from the result.
        """
    ),
    code(
        """
        focal = cn.ei_change_test(
            before,
            after,
            "sector",
            source="prison",
            target="nhs",
            within="region",
            alternative="greater",
            n_permutations=199,
            seed=1,
        )
        print(focal)
        print(
            f"\\nAmong the {focal.n_nodes} people who answered both waves, the density of "
            f"within-region prison→NHS ties rose from {focal.before:.3f} to {focal.after:.3f} "
            f"(paired permutation test, one-sided p = {focal.p_value:.3f}, "
            f"{focal.n_permutations} permutations)."
        )
        """
    ),
    md(
        """
        ## 4. Network regression (MRQAP)

        `qap_regression` regresses one network on others, pair by pair. Pairs of people
        are not independent (each person is in many pairs), so ordinary regression
        p-values are wrong; QAP gets p-values by permuting (here Dekker's "double
        semi-partialling", which stays valid when predictors are correlated). The
        **null** for each term is "no association with the outcome once the other terms
        are accounted for".

        `dyadic_covariate` turns a person attribute into a pair matrix: 1 for pairs in the
        same region, 1 for prison–NHS pairs, and their product for *prison–NHS pairs in the
        same region*. Fitting the same model to each wave shows whether local prison–NHS
        pairs, which start out *less* often linked than other same-region pairs, catch up.
        """
    ),
    code(
        """
        people = data.people
        same_region = cn.dyadic_covariate(people, "region")
        prison_nhs = cn.dyadic_covariate(people, "sector", "pair", ("prison", "nhs"))
        X = {
            "same organisation": cn.dyadic_covariate(people, "organisation_id"),
            "same region": same_region,
            "prison–NHS pair": prison_nhs,
            "prison–NHS, same region": same_region * prison_nhs,
        }
        same_people = sorted(response.index[response.all(axis=1)])  # answered both waves
        fits = {
            w: cn.qap_regression(G, X, nodes=same_people, n_permutations=199, seed=1)
            for w, G in waves.items()
        }
        columns = ["estimate", "p_two_sided"]
        pd.concat({w: fit.coefficients[columns] for w, fit in fits.items()}, axis=1)
        """
    ),
    md(
        """
        Read the estimates as differences in the probability that one person names the
        other: e.g. `same region` 0.08 means pairs in the same region are 8 percentage
        points more likely to be linked. A negative `prison–NHS, same region` at baseline
        means local prison–NHS pairs were linked less than other local pairs; the
        follow-up estimate shows how far that gap closed. Both models use the same people
        (those who answered both waves), so the estimates compare.

        The model below asks the change question directly: the follow-up network
        regressed on the baseline network plus the covariates. A tie at baseline strongly
        predicts one at follow-up; the other terms then describe where *new* ties formed.
        A `prison–NHS, same region` estimate near zero here means new local prison–NHS
        ties formed about as often as new ties between other people in the same region —
        although at baseline such pairs were much less often linked: the gap is closing.
        """
    ),
    code(
        """
        X_change = {"baseline tie": before, **X}
        change_model = cn.qap_regression(
            after, X_change, nodes=same_people, n_permutations=199, seed=1
        )
        change_model
        """
    ),
    md(
        """
        ## 5. Dose–response: did more meetings mean more local cross-sector contacts?

        `exposure_effect` counts, for each person who answered both waves, the follow-up
        meetings they attended and their gain in contacts in the other sector within their
        region, then correlates the two. The **null** is "no association between meetings
        attended and gain": the meeting counts are shuffled between people. A one-sided
        test (`"greater"`) asks whether more meetings go with more gain.

        This is an association, not proof of cause: people who chose to attend more may
        have been building links anyway (self-selection). The dose–response table shows
        the mean gain for 0, 1, 2 and 3+ meetings. Both directions are worth reading:
        prison staff gaining local NHS contacts, and NHS staff gaining local prison
        contacts.
        """
    ),
    code(
        """
        follow_ups = data.events.index[data.events["theme"] == "regional_follow_up"]
        for source, target in [("prison", "nhs"), ("nhs", "prison")]:
            dose = cn.exposure_effect(
                data,
                before,
                after,
                "sector",
                source,
                target,
                within="region",
                events=follow_ups,
                alternative="greater",
                n_permutations=199,
                seed=1,
            )
            print(f"--- {source} staff gaining local {target} contacts")
            print(dose)
            print(dose.dose_response, end="\\n\\n")
        """
    ),
    md(
        """
        ## 6. Pictures: before and after, same layout

        Two maps of the same people are only comparable if everyone stays in the same
        place. Give `show_map` both waves: one layout for both, a wave selector, and
        *Changes* marks new ties (solid black), lost ties (dashed) and kept ties (grey).
        """
    ),
    code(
        """
        cn.show_map({"baseline": before, "follow-up": after}, seed=1, size_by="degree",
                    title="Baseline and follow-up")
        """
    ),
    md(
        """
        Static figures for a report: the change in the headline measures (E-I and local
        reach share a −1…+1 scale; densities are much smaller numbers, so plot them on
        their own), and who links to whom at follow-up (the mixing matrix counts ties from
        each sector, rows, to each sector, columns).
        """
    ),
    code(
        """
        fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
        cn.plot_change(
            table,
            metrics=["E-I index", "cross-sector reach prison→nhs (within region)"],
            ax=axes[0],
        )
        cn.plot_mixing(after, ax=axes[1])
        fig.tight_layout()
        """
    ),
    md(
        """
        ## Summary for the evaluation

        * Compare like with like: only people who answered both waves (report how many
          were left out and why).
        * Report the observed change, the permutation null, the alternative (one- or
          two-sided, stated in advance) and the number of permutations.
        * Back the network-level test with the pair-level model (MRQAP) and the
          dose–response, and be explicit that attendance was not randomised.
        """
    ),
]

# --------------------------------------------------------------------------------------
# 03 national cancer network
# --------------------------------------------------------------------------------------
CANCER = [
    md(
        """
        # A national cancer network: attendance, core and periphery, bridging

        The (fictional) national clinical network: 34 local cancer networks each send a
        lead nurse, a lead doctor and a manager to a day meeting every two months; a
        Department of Health team brings guidance; three themed workshops bring in
        commissioners and patient representatives. A contact survey ran before and after
        the year.

        Questions: who keeps coming, who is core and who is peripheral, and does the
        network link the *local* networks to each other?
        """
    ),
    code(
        SETUP
        + """
import matplotlib.pyplot as plt

data = cn.load_sample("cancer_networks")
print(data)
data.load_report
"""
    ),
    md(
        """
        ## 1. Attendance and retention

        `attendance_summary` gives one row per event in date order: attendees,
        *first-timers* (never came before), *returners*, and *retention* — the share of
        the event's attendees who had been to an earlier event of the same series (the
        events table's `programme` column; here one programme). Day meetings keep a stable
        core (retention 0.90 and above after the first); the themed workshops are smaller
        and bring first-timers (guests), so their retention is lower (0.65 and 0.75 for
        the first two).
        """
    ),
    code(
        """
        summary = cn.attendance_summary(data)
        summary.events.join(data.events["theme"])
        """
    ),
    code(
        """
        fig, axes = plt.subplots(1, 2, figsize=(13, 4))
        cn.plot_attendance(summary, by="sector", ax=axes[0])
        cn.plot_attendance(summary, by="first_time", ax=axes[1])
        fig.tight_layout()
        """
    ),
    md(
        """
        Per person: how many events each sector's people attended. The 102 core members
        (NHS) come to about six of the nine events (most day meetings, a workshop or two);
        workshop guests come once or twice.
        """
    ),
    code(
        """
        per_sector = summary.people.groupby("sector")["events_attended"]
        per_sector.agg(["count", "mean", "min", "max"])
        """
    ),
    md(
        """
        ## 2. Core and periphery

        `core_periphery` fits Borgatti and Everett's model: a *core* densely linked among
        itself and a *periphery* sparsely linked. `fit` is the correlation between the
        network and the ideal pattern (1 = perfect; above about 0.5 is a clear core). The
        `k_core` column needs no fitting: the largest k such that the person sits in a
        group where everyone has at least k links inside the group.

        On co-attendance, every day meeting links its attendees to one another, so we keep
        pairs who met at **three or more** events (`min_weight=3`): regular attenders form
        the core, one-off guests the periphery.
        """
    ),
    code(
        """
        regulars = cn.coattendance_graph(data, min_weight=3)
        cp = cn.core_periphery(regulars, seed=1)
        print(f"fit {cp.attrs['fit']:.2f}, core size {cp.attrs['core_size']}")
        pd.crosstab(data.people.loc[cp.index, "role"], cp["core"])
        """
    ),
    md(
        """
        In the **contact** network (who works with whom after the year) the picture
        differs: the core is the centre's staff plus the most connected local members; the
        fit is lower because working ties are spread more evenly.
        """
    ),
    code(
        """
        waves = cn.snapshots(data, kind="contact", by="wave")
        after = cn.contact_graph(data, wave="after", symmetrise="union")
        cp_contacts = cn.core_periphery(after, seed=1)
        print(f"fit {cp_contacts.attrs['fit']:.2f}, core size {cp_contacts.attrs['core_size']}")
        pd.crosstab(data.people.loc[cp_contacts.index, "sector"], cp_contacts["core"])
        """
    ),
    md(
        """
        ## 3. Bridging across local networks

        Each local network is an organisation. `organisation_graph` contracts people to
        organisations (edge weight = person ties between two organisations; a self-loop
        holds the ties inside one). The E-I index *by organisation* says how much of each
        local network's working life crosses its own boundary: −1 all internal, +1 all
        external.
        """
    ),
    code(
        """
        orgs = cn.organisation_graph(after)
        print(orgs)
        ei_by_org = cn.group_ei_index(after, "organisation_id")
        ei_by_org.describe()
        """
    ),
    code(
        """
        cn.show_map(
            orgs,
            size_by="strength",
            label_by="name",
            seed=1,
            title="Organisations (after)",
            height="550px",
        )
        """
    ),
    md(
        """
        Did the year of meetings link local networks to each other? The E-I index by
        organisation before and after, with the paired dyad-swap permutation test (null:
        the two waves are exchangeable; two-sided).
        """
    ),
    code(
        """
        before, after_directed = waves["before"], waves["after"]
        cn.ei_change_test(before, after_directed, "organisation_id", n_permutations=199, seed=1)
        """
    ),
    md(
        """
        By sector, and reach: what share of NHS people work directly with the Department
        of Health, or with a commissioner or patient representative?
        (`cross_sector_reach`, one step = a direct tie.)
        """
    ),
    code(
        """
        print(cn.group_ei_index(after, "sector"))
        for target in ["department_of_health", ["commissioner", "patient_rep"]]:
            reach = {
                w: cn.cross_sector_reach(
                    cn.contact_graph(data, wave=w, symmetrise="union"), "sector", "nhs", target
                ).share
                for w in data.waves
            }
            print(f"NHS people with a direct tie to {target}: {reach}")
        """
    ),
    md(
        """
        ## 4. Communities versus networks

        `communities` finds groups of people more linked to each other than to the rest
        (modularity). `partition_comparison` asks whether those groups follow the local
        networks (or regions): *adjusted Rand index* and *normalised mutual information*
        near 1 mean communities are just the local networks (little bridging); low values
        with a good community modularity mean people cluster *across* local networks.
        Here the communities are much larger than one local network (three people each)
        and agree better with regions than with networks (higher adjusted Rand index):
        cross-network ties grew mostly within regions. Read the adjusted Rand index
        first — mutual information is inflated when one partition has many small groups.
        """
    ),
    code(
        """
        comm = cn.communities(after, seed=1)
        n, q = comm.attrs["n_communities"], comm.attrs["modularity"]
        print(f"{n} communities, modularity {q:.2f}")
        pd.DataFrame(
            {
                "local network": cn.partition_comparison(after, "organisation_id", comm),
                "region": cn.partition_comparison(after, "region", comm),
            }
        )
        """
    ),
]

# --------------------------------------------------------------------------------------
# 04 chief executives
# --------------------------------------------------------------------------------------
CHIEFS = [
    md(
        """
        # Chief executives: did inviting "significant local others" widen the network's reach?

        A (fictional) national network of 48 NHS trust chief executives meets twice a year
        for three years. From the first meeting it gradually invites council directors,
        police chiefs and voluntary-sector leaders from the same regions. A contact survey
        runs each December (2021, 2022, 2023).

        Question: did the chief executives' reach into other local sectors grow, and does
        that reach rest on a few people?
        """
    ),
    code(
        SETUP
        + """
import matplotlib.pyplot as plt

data = cn.load_sample("chief_executives")
others = ["local_authority", "police", "voluntary"]
print(data)
data.people["sector"].value_counts()
"""
    ),
    md(
        """
        ## 1. Who came to each meeting

        The share of attendees from other sectors, meeting by meeting
        (`attendance_summary` counts attendees per sector; the bars show the same).
        """
    ),
    code(
        """
        summary = cn.attendance_summary(data)
        counts = summary.events.filter(like="sector_")
        share = counts.div(summary.events["attendees"], axis=0)
        share.columns = share.columns.str.removeprefix("sector_")
        share["other sectors"] = share[others].sum(axis=1)
        share.join(summary.events[["attendees", "first_timers", "retention"]])
        """
    ),
    code(
        """
        ax = cn.plot_attendance(summary)
        """
    ),
    md(
        """
        ## 2. Snapshots over meetings: opportunity to meet

        `snapshots(kind="coattendance", by="event", cumulative=True)` gives the
        co-attendance network up to each meeting. Its E-I index by sector moves from
        strongly internal (chief executives meeting each other) towards mixed, and the
        share of chief executives who have sat in a meeting with someone from another
        sector *of their own region* rises.
        """
    ),
    code(
        """
        met = cn.snapshots(data, kind="coattendance", by="event", cumulative=True)
        pd.DataFrame(
            {
                event: {
                    "E-I index": cn.ei_index(G),
                    "CEs who met a local other (same region)": cn.cross_sector_reach(
                        G, "sector", "nhs", others, within="region"
                    ).share,
                }
                for event, G in met.items()
            }
        ).T
        """
    ),
    md(
        """
        ## 3. Reported working ties, wave by wave

        Meeting is not the same as working together: the contact survey shows whether
        chief executives *report* working with local others. Two care points:

        * Local others are surveyed only once invited, so later waves have more
          respondents, and their answers would add ties that earlier waves could not
          contain. We therefore count only ties **reported by chief executives**, and only
          by those who answered **every** wave.
        * The default alignment of `compare` (people who answered every wave) would keep
          mostly chief executives and drop the local others they name. Passing
          `nodes=` the people to compare — those chief executives plus every local other —
          keeps their ties in view.
        """
    ),
    code(
        """
        waves = cn.snapshots(data, kind="contact", by="wave")
        contacts = data.contacts
        answered = [set(contacts.loc[contacts["wave"] == w, "source"]) for w in data.waves]
        nhs = set(data.people.index[data.people["sector"] == "nhs"])
        ces = nhs & set.intersection(*answered)
        keep = sorted(ces | (set(data.people.index) - nhs))
        print(f"{len(ces)} of {len(nhs)} chief executives answered all {len(waves)} waves")


        def reported_by(G, who):
            \"\"\"The same graph with only the arcs reported by `who`.\"\"\"
            H = G.copy()
            H.remove_edges_from([(u, v) for u, v in G.edges if u not in who])
            return H


        ce_waves = {w: reported_by(G, ces) for w, G in waves.items()}
        table = cn.compare(ce_waves, source="nhs", target=others, within="region", nodes=keep)
        rows = ["ties", "E-I index", *[f"block density nhs→{o}" for o in others]]
        rows += [r for r in table.index if r.startswith("cross-sector reach")]
        table.loc[rows]
        """
    ),
    md(
        """
        Reach by sector: the share of these chief executives who name at least one
        council director, police chief or voluntary-sector leader **of their own region**.
        """
    ),
    code(
        """
        reach = pd.DataFrame(
            {
                w: {
                    target: cn.cross_sector_reach(
                        G.subgraph(keep), "sector", "nhs", target, within="region"
                    ).share
                    for target in others
                }
                for w, G in ce_waves.items()
            }
        ).T
        reach["any other sector"] = table.loc[rows[-1], list(ce_waves)].to_numpy()
        reach
        """
    ),
    code(
        """
        fig, axes = plt.subplots(1, 2, figsize=(13, 4.5))
        cn.plot_change(table, metrics=rows[2:-1], ax=axes[0])
        reach.plot(marker="o", ax=axes[1], ylim=(0, 1), title="CEs reporting a local tie to ...")
        fig.tight_layout()
        """
    ),
    md(
        """
        Is the rise in the chief executives' E-I index from the first to the last wave
        more than survey noise? The paired dyad-swap permutation test on the same people
        (null: the two waves are exchangeable; two-sided, as we test for any change).
        """
    ),
    code(
        """
        cn.ei_change_test(
            ce_waves["2021"], ce_waves["2023"], "sector", nodes=keep, n_permutations=199, seed=1
        )
        """
    ),
    md(
        """
        ## 4. Does the reach rest on a few people? Bridging risk

        `bridging_risk` removes each person in turn and recounts the chief executives who
        still have a direct tie to a local other. `sources_cut_off` is how many chief
        executives would lose their only such link if that person left: a succession risk
        worth knowing about. Computed on the 2023 network ("either named the other").
        """
    ),
    code(
        """
        latest = cn.contact_graph(data, wave="2023", symmetrise="union")
        risk = cn.bridging_risk(latest, "sector", "nhs", others, within="region")
        print(f"reach in 2023: {risk.attrs['share']:.2f}")
        risk.join(data.people[["name", "sector", "region"]]).head(8)
        """
    ),
    code(
        """
        cn.show_map(
            latest,
            size_by=risk["sources_cut_off"],
            seed=1,
            title="2023: dot size = chief executives who would lose their local link",
            height="550px",
        )
        """
    ),
]

# --------------------------------------------------------------------------------------
# 05 prison health with a SAOM
# --------------------------------------------------------------------------------------
SAOM = [
    md(
        """
        # Did taking part predict new ties? A stochastic actor-oriented model

        Notebook 02 showed that prison–NHS ties within a region rose between the
        `baseline` and `follow-up` surveys of the (fictional) Prison Health network. A
        reviewer then asks: is the rise explained by the **programme** — people meeting
        at its events — once the usual ways networks grow are accounted for (people
        return a tie, befriend the friends of their friends, and work with people of
        their own sector and region)?

        The field's answer for panel network data is the *stochastic actor-oriented
        model* (SAOM; Snijders 2001), as R's RSiena fits it. `cn.fit_saom` estimates it
        the same way (method of moments, Robbins–Monro), with RSiena's effect names, so
        a model can be carried over. The plan:

        1. the waves and who answered them;
        2. co-attendance at the events held **between** the surveys, as a dyadic
           covariate;
        3. the model: density, reciprocity, transitive triplets, same sector, same
           region, co-attendance;
        4. reading the estimates, convergence and rates;
        5. does the model fit? (goodness of fit, as RSiena's sienaGOF);
        6. would a left-out effect improve it? (score-type test);
        7. the answer in plain words.
        """
    ),
    code(
        SETUP
        + """
import matplotlib.pyplot as plt
import networkx as nx

data = cn.load_sample("prison_health")
waves = cn.snapshots(data, kind="contact", by="wave")
print(data)
print({w: G.number_of_edges() for w, G in waves.items()}, "reported arcs per wave")
"""
    ),
    md(
        """
        ## 1. Actors and non-response

        The model's actors are the people of the waves (all over one node set). People
        who did not answer a wave are **non-respondents**: their outgoing ties at that
        wave are unknown, not absent. The model treats them as RSiena does — imputed for
        the simulation, left out of the statistics it matches — and `cn.saom_missing`
        says how many there were. Here we keep the people who answered at least one
        wave or were named by someone.
        """
    ),
    code(
        """
        actors = set(data.respondents["person_id"])
        for G in waves.values():
            actors |= {v for edge in G.edges for v in edge}
        order = [v for v in waves["baseline"] if v in actors]
        waves = {w: G.subgraph(order).copy() for w, G in waves.items()}
        print(len(order), "actors;", {w: len(G.graph["respondents"]) for w, G in waves.items()},
              "answered")
        """
    ),
    md(
        """
        ## 2. Co-attendance between the waves

        The programme's exposure is the number of events two people attended together
        **after** the baseline survey and **before** the follow-up (a dyadic covariate,
        `X` in RSiena). People who attended nothing together get 0.
        """
    ),
    code(
        """
        dates = data.contacts.groupby("wave")["date"]
        start, end = dates.max()["baseline"], dates.min()["follow-up"]
        between = data.events.index[(data.events["date"] > start) & (data.events["date"] < end)]
        met = cn.coattendance_graph(data, events=list(between))
        coattendance = nx.to_pandas_adjacency(met, weight="weight").reindex(
            index=order, columns=order, fill_value=0.0
        )
        print(len(between), "events between", start.date(), "and", end.date())
        print("pairs who met at least once:", int((coattendance.to_numpy() > 0).sum() // 2))
        """
    ),
    md(
        """
        ## 3. The model

        Each actor, at random moments, reconsiders one outgoing tie and makes the change
        (or none) that most improves its *evaluation function*: a weighted sum of
        statistics, one per effect. `density` is the baseline cost of a tie, `recip`
        rewards returning one, `transTrip` closing triangles, `sameX` a tie to someone
        of the same sector or region, and `X coattendance` a tie to someone met at the
        programme's events. Estimation matches the simulated statistics to the observed
        ones (about a minute here).
        """
    ),
    code(
        """
        effects = ["density", "recip", "transTrip", ("sameX", "sector"), ("sameX", "region"),
                   ("X", "coattendance")]
        result = cn.fit_saom(
            waves,
            effects,
            covariates={"sector": "sector", "region": "region"},
            dyadic={"coattendance": coattendance},
            n_phase3=500,
            seed=1,
        )
        result
        """
    ),
    md(
        """
        ## 4. Reading the estimates

        * **Estimates** are log-odds: `X coattendance` = 0.2 means one more event
          attended together multiplies the odds of forming (or keeping) the tie by
          about e^0.2 ≈ 1.2, other things equal.
        * **Convergence**: RSiena's rule — every t-ratio below 0.1 in absolute value and
          the overall maximum convergence ratio below 0.25. Otherwise refit (another
          seed, a simpler model) before reading anything.
        * **Rate**: how many opportunities to change a tie each actor had between the
          waves.
        """
    ),
    code(
        """
        frame = result.to_frame()
        print(frame.round(3))
        print("converged:", result.converged)
        for sentence in result.interpretation():
            print("-", sentence)
        cn.saom_missing(result)
        """
    ),
    md(
        """
        ## 5. Does the model fit?

        A model can have clear estimates and still miss what the network looks like.
        `cn.saom_gof` simulates the fitted model and compares the observed indegree and
        outdegree distributions, triad census and distances with the simulated ones by
        a Mahalanobis distance (RSiena's sienaGOF): a p-value below 0.05 says the model
        does not reproduce that feature.
        """
    ),
    code(
        """
        gofs = {s: cn.saom_gof(result, s, n_sim=200, seed=2)
                for s in ("indegree", "outdegree", "triad_census", "geodesic")}
        print(pd.Series({s: g.p_value for s, g in gofs.items()}, name="GOF p-value"))
        fig, axes = plt.subplots(1, 2, figsize=(12, 4))
        cn.plot_saom_gof(gofs["indegree"], ax=axes[0])
        cn.plot_saom_gof(gofs["triad_census"], ax=axes[1])
        fig.tight_layout()
        """
    ),
    md(
        """
        ## 6. Would a left-out effect improve it?

        The score-type test (Schweinberger 2012) asks whether an effect fixed at 0 should
        be in the model, without fitting the larger model. Here: is there *popularity*
        (`inPop`, ties going to people who already receive many)? With three or more
        waves, `cn.saom_time_test` asks the same of period-specific effects (Lospinoso et
        al. 2011); this study has two waves.
        """
    ),
    code(
        """
        test = cn.saom_score_test(result, ["inPop"], n_sim=500, seed=3)
        print(test)
        test.to_frame()
        """
    ),
    md(
        """
        ## 7. The answer

        The sentence below is what `connectnet report` writes in its section "Did taking
        part predict new ties?" (the report fits this same default model when a dataset
        has two or more contact waves; `--no-model` turns it off, `--model-effects`
        changes the effects).
        """
    ),
    code(
        """
        est, se, p = frame.loc["X coattendance", ["estimate", "se", "p"]]
        if p < 0.05 and est > 0:
            verdict = "People who attended more events together were more likely to form a tie"
        else:
            verdict = "There is no clear evidence that meeting at events made a tie more likely"
        print(f"{verdict}, allowing for reciprocity, transitivity and being in the same sector "
              f"and region (estimate {est:.3f}, standard error {se:.3f}, p = {p:.3f}).")
        """
    ),
]

NOTEBOOKS = {
    "01-quickstart.ipynb": QUICKSTART,
    "02-did-the-network-improve-prison-nhs-connections.ipynb": PRISON,
    "03-national-cancer-network.ipynb": CANCER,
    "04-chief-executives.ipynb": CHIEFS,
    "05-prison-health-saom.ipynb": SAOM,
}


def build(cells: list[nbformat.NotebookNode]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    # Stable cell ids keep diffs small when the script is re-run.
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def _content(nb: nbformat.NotebookNode) -> list[tuple[str, str, bool]]:
    """Cell types, sources and whether a code cell holds outputs."""
    return [(c.cell_type, c.source, bool(c.get("outputs"))) for c in nb.cells]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if notebooks are stale")
    args = parser.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    stale = []
    for name, cells in NOTEBOOKS.items():
        text = nbformat.writes(build(cells)) + "\n"
        path = OUT / name
        if args.check:
            # Compare content, not bytes, so another nbformat version does not matter.
            if not path.exists() or _content(nbformat.read(path, as_version=4)) != _content(
                build(cells)
            ):
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("out of date (run scripts/make_notebooks.py):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
