"""Private: the thin per-engine layer under :mod:`connectnet.engine`.

A backend does four things and nothing else: expose a source (files, a database table,
a DataFrame) as a named view of text columns, run a SQL query and hand back a small
pandas result, register a small pandas table, and spell the few SQL functions whose
names differ between engines (dates, regular expressions, whitespace). Every validation
rule and aggregation is one engine-neutral query in :mod:`connectnet.engine._queries`;
nothing above this module knows which engine runs it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__: list[str] = []

#: Characters stripped from both ends of every cell (Python's ``str.strip`` set for the
#: characters that occur in real files).
_SPACE = " \t\r\n\u00a0"

#: Share of the machine's memory a connection made by :func:`connectnet.scan_dataset`
#: lets DuckDB use (DuckDB's own default is 80 %, which leaves too little for the
#: pandas/networkx results beside it).
MEMORY_SHARE = 0.5


def default_memory_limit() -> str | None:
    """``MEMORY_SHARE`` of the physical memory, as DuckDB writes sizes (``None`` where the
    operating system does not say: DuckDB's default then)."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # e.g. Windows
        return None
    return f"{max(1, int(total * MEMORY_SHARE) // 2**20)}MiB"


def _close(con: Any, folder: str) -> None:
    """Close an engine-made connection and remove its spill folder."""
    try:
        con.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _quote(name: str) -> str:
    """A column name quoted for SQL (double quotes in DuckDB, backticks in Spark)."""
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


class DuckDBBackend:
    """Runs the engine's SQL in DuckDB (embedded, out of core)."""

    name = "duckdb"

    def __init__(self, connection: Any = None, memory_limit: str | None = None) -> None:
        import duckdb

        if connection is not None:  # the caller's settings stand, unless told otherwise
            self.con = connection
            if memory_limit is not None:
                self.con.execute(f"SET memory_limit = {_literal(memory_limit)}")
            return
        # a private spill folder (not DuckDB's default ./.tmp in the working directory),
        # removed with the connection
        spill = tempfile.mkdtemp(prefix="connectnet-duckdb-")
        config: dict[str, Any] = {"temp_directory": spill}
        limit = memory_limit or default_memory_limit()
        if limit is not None:
            config["memory_limit"] = limit
        try:
            self.con = duckdb.connect(config=config)
        except Exception:
            shutil.rmtree(spill, ignore_errors=True)
            raise
        weakref.finalize(self, _close, self.con, spill)

    # --- dialect -------------------------------------------------------------------
    def ident(self, name: str) -> str:
        return _quote(name)

    def strip(self, expr: str) -> str:
        return f"trim({expr}, {_literal(_SPACE)})"

    def matches(self, expr: str, pattern: str) -> str:
        return f"regexp_matches({expr}, {_literal(pattern)})"

    def row_index(self) -> str:
        return "row_number() OVER ()"  # DuckDB keeps the order rows were read in

    def iso_timestamp(self, expr: str) -> str:
        return f"TRY_CAST({expr} AS TIMESTAMP)"

    def uk_date(self, expr: str) -> str:
        return f"try_strptime({expr}, '%d/%m/%Y')"

    def compact_date(self, expr: str) -> str:
        return f"try_strptime({expr}, '%Y%m%d')"

    def keep_group(self, expr: str, pattern: str) -> str:
        """``expr`` with the match of ``pattern`` replaced by its first group."""
        return f"regexp_replace({expr}, {_literal(pattern)}, '\\1')"

    # --- sources -------------------------------------------------------------------
    def files(self, view: str, paths: Sequence[Path], fmt: str) -> list[str]:
        listed = "[" + ", ".join(_literal(str(p)) for p in paths) + "]"
        if fmt == "parquet":  # columnar: every query reads only the columns it needs
            scan = f"read_parquet({listed})"
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {_quote(view)} AS SELECT * FROM {scan}")
        else:  # text: parsed once into a table (DuckDB spills it to disk when large)
            scan = f"read_csv({listed}, all_varchar=true, header=true, auto_detect=true)"
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE {_quote(view)} AS SELECT * FROM {scan}"
            )
        return self.columns(view)

    def relation(self, view: str, obj: Any) -> list[str]:
        if isinstance(obj, str):  # a table or view in the connection
            target = ".".join(_quote(part) for part in obj.split("."))
            self.con.execute(
                f"CREATE OR REPLACE TEMP VIEW {_quote(view)} AS SELECT * FROM {target}"
            )
        elif isinstance(obj, pd.DataFrame):
            self.con.register(view, obj)
        else:  # a DuckDB relation
            obj.create_view(view, replace=True)
        return self.columns(view)

    def columns(self, view: str) -> list[str]:
        return [str(c) for c in self.con.sql(f"SELECT * FROM {_quote(view)} LIMIT 0").columns]

    def view(self, name: str, sql: str) -> None:
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW {_quote(name)} AS {sql}")

    def table(self, name: str, sql: str) -> None:
        """Materialise ``sql`` (a result that several queries read)."""
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE {_quote(name)} AS {sql}")

    def drop(self, name: str) -> None:
        """Free a table made by :meth:`table`."""
        self.con.execute(f"DROP TABLE IF EXISTS {_quote(name)}")

    def frame(self, name: str, frame: pd.DataFrame) -> None:
        self.con.register(name, frame)

    def query(self, sql: str) -> pd.DataFrame:
        return self.con.sql(sql).df()

    def arrays(self, sql: str) -> dict[str, np.ndarray]:
        """A (large) result as one numpy array per column, without a DataFrame."""
        return {k: np.asarray(v) for k, v in self.con.sql(sql).fetchnumpy().items()}


class SparkBackend:
    """Runs the same SQL on a user's :class:`pyspark.sql.SparkSession`."""

    name = "spark"

    def __init__(self, spark: Any) -> None:
        if spark is None:
            msg = (
                "`engine='spark'` needs `spark=` (your SparkSession), e.g. "
                "SparkSession.builder.master('local[2]').getOrCreate()."
            )
            raise TypeError(msg)
        self.spark = spark

    # --- dialect -------------------------------------------------------------------
    def ident(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def strip(self, expr: str) -> str:
        return f"trim(BOTH {_literal(_SPACE)} FROM {expr})"

    def matches(self, expr: str, pattern: str) -> str:
        return f"({expr} RLIKE {_literal(pattern)})"

    def row_index(self) -> str:
        return "row_number() OVER (ORDER BY monotonically_increasing_id())"

    def iso_timestamp(self, expr: str) -> str:
        return f"try_cast({expr} AS TIMESTAMP)"

    def uk_date(self, expr: str) -> str:
        return f"try_to_timestamp({expr}, 'd/M/yyyy')"

    def compact_date(self, expr: str) -> str:
        return f"try_to_timestamp({expr}, 'yyyyMMdd')"

    def keep_group(self, expr: str, pattern: str) -> str:
        """``expr`` with the match of ``pattern`` replaced by its first group."""
        return f"regexp_replace({expr}, {_literal(pattern)}, '$1')"

    # --- sources -------------------------------------------------------------------
    def files(self, view: str, paths: Sequence[Path], fmt: str) -> list[str]:
        names = [str(p) for p in paths]
        reader = self.spark.read
        if fmt == "parquet":
            df = reader.parquet(*names)
        else:
            df = reader.options(header=True, inferSchema=False, multiLine=True).csv(names)
            df = df.cache()  # parsed once (spilled to disk when large)
        df.createOrReplaceTempView(view)
        return list(df.columns)

    def relation(self, view: str, obj: Any) -> list[str]:
        if isinstance(obj, pd.DataFrame):  # rows as text (no pyarrow needed)
            self.frame(view, obj)
            return [str(c) for c in obj.columns]
        df = self.spark.table(obj) if isinstance(obj, str) else obj
        df.createOrReplaceTempView(view)
        return list(df.columns)

    def columns(self, view: str) -> list[str]:
        return list(self.spark.table(view).columns)

    def view(self, name: str, sql: str) -> None:
        self.spark.sql(sql).createOrReplaceTempView(name)

    def table(self, name: str, sql: str) -> None:
        self.spark.sql(sql).cache().createOrReplaceTempView(name)

    def drop(self, name: str) -> None:
        self.spark.table(name).unpersist()
        self.spark.catalog.dropTempView(name)

    def frame(self, name: str, frame: pd.DataFrame) -> None:
        from pyspark.sql.types import StringType, StructField, StructType

        schema = StructType([StructField(str(c), StringType(), True) for c in frame.columns])
        rows = [tuple(None if pd.isna(v) else str(v) for v in r) for r in frame.itertuples(False)]
        self.spark.createDataFrame(rows, schema).createOrReplaceTempView(name)

    def query(self, sql: str) -> pd.DataFrame:
        result = self.spark.sql(sql)
        rows = result.collect()
        return pd.DataFrame([r.asDict() for r in rows], columns=result.columns)

    def arrays(self, sql: str) -> dict[str, np.ndarray]:
        """A (large) result as one numpy array per column. On a local session it goes
        through Parquet in a temporary folder, read by DuckDB (collecting millions of
        rows one Python object at a time takes minutes); on a cluster, collected."""
        result = self.spark.sql(sql)
        if not str(self.spark.sparkContext.master).startswith("local"):
            frame = self.query(sql)
            return {c: frame[c].to_numpy() for c in frame.columns}
        import duckdb

        folder = tempfile.mkdtemp(prefix="connectnet-spark-")
        try:
            result.write.mode("overwrite").parquet(folder)
            files = sorted(Path(folder).glob("*.parquet"))
            if not files:
                return {c: np.array([]) for c in result.columns}
            listed = "[" + ", ".join(_literal(str(f)) for f in files) + "]"
            with duckdb.connect() as con:
                got = con.sql(f"SELECT * FROM read_parquet({listed})").fetchnumpy()
            return {k: np.asarray(v) for k, v in got.items()}
        finally:
            shutil.rmtree(folder, ignore_errors=True)


Backend = DuckDBBackend | SparkBackend


def make_backend(
    engine: str, connection: Any, spark: Any, memory_limit: str | None = None
) -> Backend:
    """The backend for ``engine`` (``"duckdb"`` or ``"spark"``)."""
    if engine == "duckdb":
        if spark is not None:
            msg = "`spark=` is only used with engine='spark'."
            raise TypeError(msg)
        return DuckDBBackend(connection, memory_limit)
    if engine == "spark":
        if connection is not None:
            msg = "`connection=` is a DuckDB connection; with engine='spark' pass `spark=`."
            raise TypeError(msg)
        if memory_limit is not None:
            msg = (
                "`memory_limit=` sets DuckDB's limit; give Spark its memory in the session "
                "(spark.driver.memory, spark.executor.memory)."
            )
            raise TypeError(msg)
        return SparkBackend(spark)
    msg = f"`engine` must be 'duckdb' or 'spark'; found {engine!r}."
    raise ValueError(msg)
