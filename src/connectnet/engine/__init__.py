"""Beyond memory: validation and aggregations as engine-neutral SQL (DuckDB or Spark).

:func:`scan_dataset` opens a folder of Parquet/CSV files, a DuckDB database or Spark
tables as a :class:`LazyDataset`; the build and bridging functions accept it and run
their aggregations in the engine. See docs/scale.md.
"""

from connectnet.engine._lazy import LazyContacts, LazyDataset, scan_dataset

__all__ = ["LazyContacts", "LazyDataset", "scan_dataset"]
