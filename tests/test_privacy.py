"""Tests for connectnet.privacy: stable salted pseudonyms and name-free copies."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import hmac

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from connectnet.data import Dataset
from connectnet.privacy import drop_names, pseudonym_codes, pseudonymise

SALT = "a-long-secret-salt"


def _expected_code(ident, salt=SALT, length=8):
    # The documented definition: first `length` hex digits of HMAC-SHA256(salt, str(id)).
    digest = hmac.new(salt.encode(), str(ident).encode(), hashlib.sha256).hexdigest()
    return "P-" + digest[:length].upper()


def _graph() -> nx.Graph:
    G = nx.Graph(source="test")
    G.add_node("p1", kind="person", name="Ann Smith", sector="NHS", role="nurse")
    G.add_node("p2", kind="person", name="Bob Jones", sector="prison")
    G.add_node("p3", name="No Kind", sector="prison")  # no kind → treated as a person
    G.add_node("o1", kind="organisation", name="HMP Example", sector="prison")
    G.add_edge("p1", "p2", weight=2.0)
    G.add_edge("p2", "p3", weight=1.0)
    G.add_edge("p3", "o1", weight=5.0)
    return G


def _dataset() -> Dataset:
    people = pd.DataFrame(
        {"name": ["Ann Smith", "Bob Jones"], "sector": ["NHS", "prison"], "role": ["a", "b"]},
        index=pd.Index(["p1", "p2"], name="person_id"),
    )
    organisations = pd.DataFrame(
        {"sector": ["prison"], "name": ["HMP Example"]},
        index=pd.Index(["o1"], name="organisation_id"),
    )
    events = pd.DataFrame({"title": ["Day 1"]}, index=pd.Index(["e1"], name="event_id"))
    attendance = pd.DataFrame({"event_id": ["e1", "e1"], "person_id": ["p1", "p2"]})
    contacts = pd.DataFrame(
        {"source": ["p1", "p2"], "target": ["p2", "p9"], "wave": ["1", "2"], "weight": [1.0, 2]}
    )
    load_report = pd.DataFrame(
        {
            "table": ["people"],
            "row": [4],
            "column": ["person_id"],
            "value": ["Carol Secret"],
            "action": ["dropped"],
            "reason": ["duplicate id"],
        }
    )
    return Dataset(people, organisations, events, attendance, contacts, load_report, "t")


def test_codes_follow_documented_hmac_definition():
    codes = pseudonym_codes(["p1", "p2", "p1"], salt=SALT)
    assert list(codes.index) == ["p1", "p2"]  # repeated ids appear once
    assert codes.name == "code"
    assert codes["p1"] == _expected_code("p1")
    assert codes["p2"] == _expected_code("p2")
    assert pseudonym_codes(["p1"], salt=SALT, prefix="X", length=12)["p1"] == (
        "X" + _expected_code("p1", length=12)[2:]
    )


def test_same_salt_same_code_different_salt_unlinkable():
    a = pseudonym_codes(["p1", "p2"], salt=SALT)
    b = pseudonym_codes(["p2", "p3", "p1"], salt=SALT)  # another wave, other order
    c = pseudonym_codes(["p1", "p2"], salt=SALT + "-other")
    assert a["p1"] == b["p1"]
    assert a["p2"] == b["p2"]
    assert set(a).isdisjoint(set(c))


def test_bytes_salt_equals_utf8_str_salt():
    assert pseudonym_codes(["x"], salt=SALT.encode())["x"] == _expected_code("x")


def test_graph_pseudonymised_copy_and_input_untouched():
    G = _graph()
    before = copy.deepcopy(G)
    H = pseudonymise(G, salt=SALT)
    assert nx.utils.graphs_equal(G, before)
    assert dict(G.nodes(data=True)) == dict(before.nodes(data=True))
    c1, c2, c3 = (_expected_code(p) for p in ("p1", "p2", "p3"))
    assert set(H) == {c1, c2, c3, "o1"}
    assert dict(H.nodes[c1]) == {"kind": "person", "sector": "NHS", "role": "nurse"}
    assert "name" not in H.nodes[c3]
    assert H.nodes["o1"]["name"] == "HMP Example"  # organisation names are kept
    assert H.edges[c1, c2]["weight"] == 2.0
    assert H.edges[c3, "o1"]["weight"] == 5.0
    assert H.graph == {"source": "test", "pseudonymised": True}
    assert "source" in G.graph
    assert "pseudonymised" not in G.graph


def test_directed_graph_stays_directed_and_codes_stable_across_waves():
    wave1 = nx.DiGraph([("p1", "p2")])
    wave2 = nx.DiGraph([("p2", "p1"), ("p2", "p3")])
    h1 = pseudonymise(wave1, salt=SALT)
    h2 = pseudonymise(wave2, salt=SALT)
    assert h1.is_directed()
    assert h2.is_directed()
    assert set(h1) <= set(h2)
    assert h2.has_edge(_expected_code("p2"), _expected_code("p1"))


def test_bipartite_person_keys_get_the_code_of_their_id():
    # attendance graphs key people as ("person", id): same code as "id" elsewhere
    B = nx.Graph()
    B.add_node(("person", "p1"), kind="person", name="Ann")
    B.add_node(("event", "p1"), kind="event", title="Day 1")  # same id, an event
    B.add_edge(("person", "p1"), ("event", "p1"), weight=1)
    H = pseudonymise(B, salt=SALT)
    assert set(H) == {("person", _expected_code("p1")), ("event", "p1")}
    assert H.nodes["person", _expected_code("p1")] == {"kind": "person"}
    assert H.nodes["event", "p1"]["title"] == "Day 1"


def test_extra_fields_removed():
    H = pseudonymise(_graph(), salt=SALT, fields=("name", "role"))
    assert dict(H.nodes[_expected_code("p1")]) == {"kind": "person", "sector": "NHS"}
    kept = pseudonymise(_graph(), salt=SALT, fields="role").nodes[_expected_code("p1")]
    assert kept["name"] == "Ann Smith"
    assert "role" not in kept


def test_dataset_pseudonymised_consistently():
    data = _dataset()
    people_before = data.people.copy()
    contacts_before = data.contacts.copy()
    out = pseudonymise(data, salt=SALT)
    assert isinstance(out, Dataset)
    c1, c2, c9 = (_expected_code(p) for p in ("p1", "p2", "p9"))
    assert list(out.people.index) == [c1, c2]
    assert out.people.index.name == "person_id"
    assert "name" not in out.people.columns
    assert list(out.people["sector"]) == ["NHS", "prison"]
    assert list(out.attendance["person_id"]) == [c1, c2]
    assert list(out.contacts["source"]) == [c1, c2]
    assert list(out.contacts["target"]) == [c2, c9]  # ids only in contacts too
    assert out.load_report["value"].isna().all()
    assert "Carol Secret" not in out.load_report.to_csv()
    assert out.organisations.equals(data.organisations)
    # input untouched
    pd.testing.assert_frame_equal(data.people, people_before)
    pd.testing.assert_frame_equal(data.contacts, contacts_before)
    assert data.load_report["value"].iloc[0] == "Carol Secret"
    # no name left anywhere in the tables
    text = "".join(
        getattr(out, t).to_csv() for t in ("people", "attendance", "contacts", "load_report")
    )
    assert "Ann" not in text
    assert "p1" not in text


def test_drop_names_graph_and_dataset():
    G = _graph()
    H = drop_names(G)
    assert set(H) == set(G)
    assert "name" not in H.nodes["p1"]
    assert H.nodes["o1"]["name"] == "HMP Example"
    assert G.nodes["p1"]["name"] == "Ann Smith"
    data = _dataset()
    out = drop_names(data)
    assert "name" not in out.people.columns
    assert list(out.people.index) == ["p1", "p2"]
    assert "name" in data.people.columns
    assert out.load_report["value"].isna().all()


@pytest.mark.parametrize("salt", ["short", b"1234567", ""])
def test_short_salt_rejected(salt):
    with pytest.raises(ValueError, match="`salt` must be at least 8"):
        pseudonym_codes(["a"], salt=salt)


def test_bad_arguments():
    with pytest.raises(TypeError, match="`salt` must be a str or bytes"):
        pseudonymise(_graph(), salt=12345678)
    with pytest.raises(TypeError, match="`data_or_graph` must be"):
        pseudonymise({"a": 1}, salt=SALT)
    with pytest.raises(TypeError, match="`data_or_graph` must be"):
        drop_names([1, 2])
    with pytest.raises(ValueError, match="`length`"):
        pseudonym_codes(["a"], salt=SALT, length=2)
    with pytest.raises(TypeError, match="`fields`"):
        pseudonymise(_graph(), salt=SALT, fields=[1])


def test_ids_with_equal_text_collide_loudly():
    G = nx.Graph([(7, "7")])
    with pytest.raises(ValueError, match="same code"):
        pseudonymise(G, salt=SALT)


def test_code_equal_to_non_person_id_rejected():
    G = nx.Graph()
    G.add_node("p1")
    G.add_node(_expected_code("p1"), kind="event")
    with pytest.raises(ValueError, match="`prefix`"):
        pseudonymise(G, salt=SALT)


@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=15, unique=True),
    st.integers(0, 2**31),
)
def test_property_structure_kept_and_codes_injective(ids, seed):
    G = nx.gnp_random_graph(len(ids), 0.4, seed=seed)
    G = nx.relabel_nodes(G, dict(enumerate(ids)))
    nx.set_node_attributes(G, {n: f"name of {n}" for n in G}, "name")
    before = copy.deepcopy(G)
    H = pseudonymise(G, salt=SALT)
    assert nx.utils.graphs_equal(G, before)
    codes = pseudonym_codes(ids, salt=SALT)
    assert codes.is_unique
    assert set(H) == set(codes)
    assert H.number_of_edges() == G.number_of_edges()
    # relabelling back with the private key gives the original structure
    back = nx.relabel_nodes(H, {c: i for i, c in codes.items()})
    assert nx.utils.edges_equal(back.edges(), G.edges())
    assert all("name" not in attrs for _, attrs in H.nodes(data=True))


def test_person_id_lists_in_graph_attributes_get_codes():
    # connectnet.build records person ids in G.graph["respondents"] (contact graphs) and
    # G.graph["unassigned"] (organisation/sector graphs): they must be coded like the
    # nodes, or the ids leak into GraphML exports and the change tests find no respondent.
    G = _graph()
    G.graph["respondents"] = ["p1", "p2", "p9"]  # p9 answered but is not a node
    G.graph["unassigned"] = ("p3",)
    H = pseudonymise(G, salt=SALT)
    assert H.graph["respondents"] == [_expected_code(p) for p in ("p1", "p2", "p9")]
    assert H.graph["unassigned"] == (_expected_code("p3"),)
    assert G.graph["respondents"] == ["p1", "p2", "p9"]  # input untouched
    B = nx.Graph(respondents=[("person", "p1")])
    B.add_node(("person", "p1"), kind="person")
    assert pseudonymise(B, salt=SALT).graph["respondents"] == [("person", _expected_code("p1"))]


def test_change_test_on_pseudonymised_contact_graphs_matches():
    import connectnet as cn

    data = cn.load_sample("prison_health")
    first, last = data.waves[0], data.waves[-1]
    before, after = (cn.contact_graph(data, wave=w) for w in (first, last))
    hidden = [pseudonymise(g, salt=SALT) for g in (before, after)]
    assert set(hidden[0].graph["respondents"]) <= set(hidden[0])
    plain = cn.ei_change_test(before, after, "sector", n_permutations=19, seed=1)
    coded = cn.ei_change_test(*hidden, "sector", n_permutations=19, seed=1)
    assert coded.observed == pytest.approx(plain.observed)


def test_load_report_reasons_lose_names_and_ids():
    data = _dataset()
    report = pd.DataFrame(
        {
            "table": ["people", "attendance", "people", "contacts"],
            "row": [3, 12, 1, 7],
            "column": ["name", "person_id", "sector", "target"],
            "value": ["ann smith", "p77", "NHS", "p2"],
            "action": ["flagged", "dropped", "normalised", "dropped"],
            "reason": [
                "possible duplicate of person_id 'p1' ('Ann Smith', row 2)",
                "row 12, column 'person_id': 'p77' is not in the people table",
                "sector 'NHS' written as 'nhs'",
                "self-contact (p2 and p2 are the same person), row 7",
            ],
        }
    )
    data = dataclasses.replace(data, load_report=report)
    out = pseudonymise(data, salt=SALT)
    code2 = _expected_code("p2")
    assert out.load_report["reason"].tolist() == [
        f"possible duplicate of person_id '{_expected_code('p1')}' ('(name hidden)', row 2)",
        "row 12, column 'person_id': '(hidden)' is not in the people table",
        "sector 'NHS' written as 'nhs'",  # not about a person: kept
        f"self-contact ({code2} and {code2} are the same person), row 7",
    ]
    assert report["reason"].iloc[0].endswith("('Ann Smith', row 2)")  # input untouched
    kept_ids = drop_names(data).load_report["reason"].tolist()
    assert kept_ids[0] == "possible duplicate of person_id 'p1' ('(name hidden)', row 2)"


def test_digit_ids_do_not_replace_row_numbers():
    data = _dataset()
    people = data.people.rename(index={"p1": "12", "p2": "7"})
    report = data.load_report.assign(reason=["person '12' repeats row 12 and row 7"])
    data = dataclasses.replace(data, people=people, load_report=report)
    out = pseudonymise(data, salt=SALT)
    assert out.load_report["reason"].iloc[0] == (
        f"person '{_expected_code('12')}' repeats row 12 and row 7"
    )


# --- issue 12: keep-list, small counts, whole --hide-names reports ------------------

from pathlib import Path  # noqa: E402

import connectnet as cn  # noqa: E402
from connectnet.cli import main  # noqa: E402
from connectnet.privacy import suppress_small_counts  # noqa: E402

GIVEN = ["Zelda", "Ignatius", "Perpetua", "Barnaby", "Ottoline", "Cuthbert", "Wilhelmina"]
SURNAMES = ["Quixote", "Zebedee", "Marchbanks", "Ollerenshaw", "Pennyfeather", "Trelawney"]


def _study(folder: Path) -> dict[str, list[str]]:
    """A study folder with names, e-mails and phones in every person column a sign-in
    sheet can hold; returns the strings no --hide-names output may contain."""
    folder.mkdir(parents=True, exist_ok=True)
    names, ids, mails, phones = [], [], [], []
    rows = ["person_id,name,organisation_id,email,phone,role"]
    for i in range(14):
        name = f"{GIVEN[i % 7]} {SURNAMES[i % 6]}"
        pid = f"staffno-{1000 + i}"
        mail = f"{SURNAMES[i % 6].lower()}{i}@example.nhs.uk"
        phone = f"07700 900{100 + i}"
        org = ["hmp-a", "nhs-b", "la-c"][i % 3]
        rows.append(f"{pid},{name},{org},{mail},{phone},lead")
        names.append(name)
        ids.append(pid)
        mails.append(mail)
        phones.append(phone)
    (folder / "people.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "organisations.csv").write_text(
        "organisation_id,name,sector\nhmp-a,HMP A,prison\nnhs-b,NHS B,nhs\nla-c,Council C,la\n"
    )
    att = ["Meeting,Attendee Name,Organisation,Email,Phone"]
    for i in range(14):
        # names only: matched by e-mail or name within organisation; one newcomer
        att.append(
            f"m{i % 3},{names[i].upper()},{['HMP A', 'NHS B', 'Council C'][i % 3]},"
            f"{mails[i]},{phones[i]}"
        )
    for i in range(0, 14, 4):  # some people come twice, so attendance varies
        att.append(f"m{(i + 1) % 3},{names[i]},{['HMP A', 'NHS B', 'Council C'][i % 3]},,")
    att.append("m1,Dr Lavinia Featherstonehaugh,NHS B,lavinia@example.nhs.uk,07700 900999")
    names.append("Lavinia Featherstonehaugh")
    mails.append("lavinia@example.nhs.uk")
    phones.append("07700 900999")
    (folder / "attendance.csv").write_text("\n".join(att) + "\n", encoding="utf-8")
    con = ["source,target,wave"]
    for wave in ("1", "2"):
        for i in range(14):
            con.append(f"{ids[i]},{ids[(i + 1 + int(wave)) % 14]},{wave}")
    (folder / "contacts.csv").write_text("\n".join(con) + "\n")
    tokens = [w for n in names for w in n.split()]
    return {"names": tokens, "ids": ids, "emails": mails, "phones": phones}


def _leaks(out: Path, secrets_: dict[str, list[str]]) -> list[tuple[str, str]]:
    found = []
    for path in out.rglob("*"):
        if path.is_file() and path.suffix != ".png":
            text = path.read_text(encoding="utf-8", errors="replace").casefold()
            for kind, values in secrets_.items():
                for value in values:
                    if value.casefold() in text:
                        found.append((str(path.relative_to(out)), f"{kind}: {value}"))
    return found


def test_hide_names_report_holds_no_name_id_email_or_phone_whatever_was_there(tmp_path):
    study = tmp_path / "study"
    secrets_ = _study(study)
    out = tmp_path / "report"
    common = ["report", str(study), "--out", str(out), "--quiet", "--permutations", "9"]
    assert main(common) == 0  # a first report with real names ...
    assert _leaks(out, secrets_)  # ... holds them
    (out / "tables" / "extra_names.csv").write_text("Zelda Quixote\n")  # and a stray file
    assert main([*common, "--hide-names", "--salt", "a-long-secret-salt"]) == 0
    assert _leaks(out, secrets_) == []
    assert not (out / "tables" / "extra_names.csv").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in index
    assert "default-src 'none'; script-src 'none'" in index
    assert "counts of fewer than 5 people are shown as &#x27;&lt;5&#x27;" in index
    assert "<5" in (out / "tables" / "attendance_events.csv").read_text()


def test_keep_columns_keeps_only_what_is_listed(tmp_path):
    study = tmp_path / "study"
    _study(study)
    data = cn.read_dataset(study)
    assert {"email", "Phone"} <= set(data.attendance.columns)
    hidden = pseudonymise(data, salt=SALT, keep_columns=["role"])
    assert list(hidden.people.columns) == ["organisation_id", "sector", "role"]
    assert set(hidden.attendance.columns) == {"event_id", "person_id", "status"}
    reasons = " ".join(hidden.load_report["reason"].dropna())
    assert "Featherstonehaugh" not in reasons
    assert "(name hidden)" in reasons
    untouched = pseudonymise(data, salt=SALT)  # without a keep-list: only `fields` go
    assert "email" in untouched.people.columns


def test_suppress_small_counts_replaces_one_to_four():
    table = pd.DataFrame(
        {"people": [0, 1, 4, 5, 12], "ties": [3.0, 9.0, 2.0, 8.0, 1.0], "share": [0.1] * 5}
    )
    out = suppress_small_counts(table)
    assert out["people"].tolist() == [0, "<5", "<5", 5, 12]
    assert out["ties"].tolist() == ["<5", 9.0, "<5", 8.0, "<5"]  # whole floats are counts
    assert out["share"].tolist() == [0.1] * 5
    assert out.attrs["suppressed"] == 5
    assert suppress_small_counts(table, below=3, columns=["people"])["people"].tolist() == [
        0,
        "<3",
        4,
        5,
        12,
    ]
    assert table["people"].tolist() == [0, 1, 4, 5, 12]  # input untouched
    with pytest.raises(ValueError, match="not in the table"):
        suppress_small_counts(table, columns=["nope"])
    with pytest.raises(ValueError, match=">= 0"):
        suppress_small_counts(table, below=-1)


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["--salt", "   "], {}, "the salt from --salt is blank"),
        (["--salt-file", "{blank}"], {}, "is blank"),
        ([], {"CONNECTNET_SALT": ""}, "the salt from CONNECTNET_SALT is blank"),
        (["--salt", "x" * 12, "--salt-file", "{blank}"], {}, "not both"),
    ],
)
def test_blank_salts_are_refused(tmp_path, capsys, monkeypatch, args, env, expected):
    blank = tmp_path / "salt.txt"
    blank.write_text("\n \n")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    args = [a.replace("{blank}", str(blank)) for a in args]
    code = main(
        [
            "report",
            "--sample",
            "prison_health",
            "--out",
            str(tmp_path / "r"),
            "--quiet",
            "--hide-names",
            *args,
        ]
    )
    assert code == 2
    assert expected in capsys.readouterr().err


def test_salt_from_file_or_environment_gives_the_same_codes(tmp_path, monkeypatch):
    salt_file = tmp_path / "salt.txt"
    salt_file.write_text("a-long-secret-salt\n")
    common = [
        "report",
        "--sample",
        "prison_health",
        "--quiet",
        "--permutations",
        "9",
        "--hide-names",
    ]
    assert main([*common, "--out", str(tmp_path / "a"), "--salt-file", str(salt_file)]) == 0
    monkeypatch.setenv("CONNECTNET_SALT", "a-long-secret-salt")
    assert main([*common, "--out", str(tmp_path / "b")]) == 0
    gexf = [(tmp_path / d / "graph.gexf").read_text(encoding="utf-8") for d in "ab"]
    assert gexf[0] == gexf[1]
    code = pseudonym_codes(["p001"], salt="a-long-secret-salt").iloc[0]
    assert code in gexf[0] or "P-" in gexf[0]
