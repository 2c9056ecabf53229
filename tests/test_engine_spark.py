"""The same engine queries on Spark (local[2]) give DuckDB's results.

Skipped only when Java or pyspark is missing; `.ci/run` installs both. One Spark session
serves the module (starting one costs tens of seconds).
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import connectnet as cn
from test_engine import assert_same_graph

pyspark = pytest.importorskip(
    "pyspark", reason="pyspark is not installed (pip install connectnet[spark])"
)
if shutil.which("java") is None:
    pytest.skip(
        "Java is not installed (apt-get install default-jre-headless)", allow_module_level=True
    )

pytestmark = [
    pytest.mark.spark,
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

SAMPLE = "prison_health"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("connectnet-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def both(spark):
    path = cn.sample_path(SAMPLE)
    return cn.scan_dataset(path), cn.scan_dataset(path, engine="spark", spark=spark)


def test_spark_validates_as_duckdb(both):
    duck, sparked = both
    pd.testing.assert_frame_equal(sparked.counts, duck.counts)
    pd.testing.assert_frame_equal(sparked.load_report, duck.load_report)


def test_spark_aggregates_as_duckdb(both):
    duck, sparked = both
    for weight in ("count", "newman"):
        assert_same_graph(
            cn.organisation_graph(duck, weight=weight),
            cn.organisation_graph(sparked, weight=weight),
        )
    assert_same_graph(cn.sector_graph(duck), cn.sector_graph(sparked))
    assert_same_graph(  # pairs summed in the engine, only the heavy ones fetched
        cn.organisation_graph(duck, by="region", min_weight=3),
        cn.organisation_graph(sparked, by="region", min_weight=3),
    )
    a = cn.coattendance_edges(duck, weight="jaccard", min_weight=0.5)
    b = cn.coattendance_edges(sparked, weight="jaccard", min_weight=0.5)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12, atol=0)
    plain, engine = (
        cn.attendance_summary(duck, series="theme"),
        cn.attendance_summary(sparked, series="theme"),
    )
    pd.testing.assert_frame_equal(plain.events, engine.events, rtol=1e-12)
    pd.testing.assert_frame_equal(plain.people, engine.people)


@pytest.mark.parametrize(("wave", "symmetrise"), [(None, None), ("follow-up", "max")])
def test_spark_bridging_as_duckdb(both, wave, symmetrise):
    duck, sparked = both
    assert sparked.waves == duck.waves
    d = duck.contact_graph(wave=wave, symmetrise=symmetrise)
    s = sparked.contact_graph(wave=wave, symmetrise=symmetrise)
    pd.testing.assert_frame_equal(
        cn.mixing_matrix(d, weight="weight"), cn.mixing_matrix(s, weight="weight"), rtol=1e-12
    )
    pd.testing.assert_series_equal(
        cn.group_ei_index(d, "region", count="members"),
        cn.group_ei_index(s, "region", count="members"),
        rtol=1e-12,
    )
    assert cn.ei_index(s) == pytest.approx(cn.ei_index(d), abs=1e-12)
    pd.testing.assert_frame_equal(cn.block_density(d), cn.block_density(s), rtol=1e-12)


def test_spark_dataframes_as_source(spark):
    # a small study as Spark DataFrames: e1 has a, b (org X) and c (org Y), e2 has a, c
    people = [("a", "X", "nhs"), ("b", "X", "nhs"), ("c", "Y", "prison")]
    attendance = [("e1", "a"), ("e1", "b"), ("e1", "c"), ("e2", "a"), ("e2", "c")]
    frames = {
        "people": spark.createDataFrame(people, ["person_id", "organisation_id", "sector"]),
        "attendance": spark.createDataFrame(attendance, ["event_id", "person_id"]),
    }
    sparked = cn.scan_dataset(frames, engine="spark", spark=spark)
    with pytest.raises(TypeError, match=r"spark\.driver\.memory"):
        cn.scan_dataset(frames, engine="spark", spark=spark, memory_limit="1GB")
    assert sparked.counts["read"].to_dict()["attendance"] == 5
    H = cn.organisation_graph(sparked)
    # X-Y = 2*1 (e1) + 1*1 (e2) = 3; X-X = 1 (a-b at e1)
    assert sorted(H.edges(data="weight")) == [("X", "X", 1.0), ("X", "Y", 3.0)]


def test_spark_reads_dates_as_duckdb(spark):
    # an offset dropped (local time kept), compact ISO, UK day-first, and a bad date
    people = pd.DataFrame({"person_id": ["a", "b"], "sector": ["nhs", "prison"]})
    events = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4"],
            "date": ["2024-01-31T10:00+01:00", "20240215", "01/03/2024", "2024-03-02 09:30Z"],
        }
    )
    attendance = pd.DataFrame({"event_id": ["e1", "e2", "e3", "e4"], "person_id": list("abab")})
    tables = {"people": people, "events": events, "attendance": attendance}
    duck = cn.scan_dataset(tables)
    sparked = cn.scan_dataset(tables, engine="spark", spark=spark)
    pd.testing.assert_frame_equal(
        cn.attendance_summary(sparked).events, cn.attendance_summary(duck).events
    )
    bad = {**tables, "events": events.assign(date=["2024", "1500-01-01", "x", "2024-02-30"])}
    messages = []
    for options in ({}, {"engine": "spark", "spark": spark}):
        with pytest.raises(cn.DataError) as info:
            cn.scan_dataset(bad, **options)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert "'1500-01-01' has year 1500" in messages[1]
