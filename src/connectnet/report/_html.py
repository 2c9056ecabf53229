"""HTML building blocks of the report: a section, number formats, the page and its CSS.

Everything here formats; nothing computes a figure. Every value from the data is escaped.
"""

from __future__ import annotations

import base64
import html
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

__all__: list[str] = []

logger = logging.getLogger(__name__)


@dataclass
class Section:
    """One ``<section>`` of index.html, filled by a renderer."""

    title: str
    anchor: str
    parts: list[str] = field(default_factory=list)
    #: applied to every table shown (small-count suppression when names are hidden)
    published: Callable[[pd.DataFrame], pd.DataFrame] | None = None

    def text(self, words: str) -> None:
        self.parts.append(f"<p>{html.escape(words)}</p>")

    def bullets(self, items: list[str]) -> None:
        lis = "".join(f"<li>{html.escape(i)}</li>" for i in items)
        self.parts.append(f"<ul>{lis}</ul>")

    def table(
        self,
        frame: pd.DataFrame,
        caption: str | None = None,
        *,
        index: bool = True,
        max_rows: int = 30,
    ) -> None:
        frame = without_attrs(frame)
        if self.published is not None:
            frame = self.published(frame)
        shown = frame.head(max_rows).copy()
        if index and any(name is not None for name in shown.index.names):
            shown = shown.reset_index()  # the index names head their columns: no empty row
            index = False
        shown.columns.name = None
        for col in shown.columns:
            values = shown[col]
            if not (is_numeric_dtype(values) or is_datetime64_any_dtype(values)):
                shown[col] = values.astype(object).where(values.notna(), "–")
        body = shown.to_html(
            escape=True,
            index=index,
            na_rep="–",
            float_format=number,
            border=0,
            classes="data",
        )
        cap = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
        more = (
            f"<p class='note'>First {max_rows} of {len(frame)} rows; all rows are in the "
            "tables folder.</p>"
            if len(frame) > max_rows
            else ""
        )
        self.parts.append(f"{cap}<div class='scroll'>{body}</div>{more}")

    def figure(self, png: bytes | None, alt: str) -> None:
        if png is None:
            return
        data = base64.b64encode(png).decode("ascii")
        self.parts.append(
            f"<figure><img src='data:image/png;base64,{data}' alt='{html.escape(alt)}'>"
            f"<figcaption>{html.escape(alt)}</figcaption></figure>"
        )

    def render(self) -> str:
        return (
            f"<section id='{self.anchor}'><h2>{html.escape(self.title)}</h2>"
            + "".join(self.parts)
            + "</section>"
        )


def without_attrs(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without its ``attrs`` (e.g. the people lists of a comparison), which pandas
    deep-copies at every operation; the data are shared, not copied."""
    return pd.DataFrame(frame, copy=False) if frame.attrs else frame


def png(draw: Callable[[Any], Any], *, size: tuple[float, float] = (8, 5)) -> bytes | None:
    """Draw with ``draw(ax)`` on a fresh figure and return PNG bytes (None if it fails)."""
    return png_panels(lambda ax, _: draw(ax), [None], columns=1, panel=size)


def png_panels(
    draw: Callable[[Any, Any], Any],
    items: list[Any],
    *,
    columns: int = 3,
    panel: tuple[float, float] = (3.4, 2.4),
) -> bytes | None:
    """Small multiples: ``draw(ax, item)`` on one panel per item, ``columns`` per row;
    PNG bytes, or None when there is nothing to draw or drawing fails."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    if not items:
        return None
    rows = -(-len(items) // columns)
    fig, axes = plt.subplots(
        rows, columns, figsize=(panel[0] * columns, panel[1] * rows), squeeze=False
    )
    try:
        for ax, item in zip(axes.ravel(), items, strict=False):
            draw(ax, item)
        for ax in axes.ravel()[len(items) :]:
            ax.set_visible(False)
        return _save(fig)
    except Exception:  # a figure must never stop the report
        logger.exception("a plot could not be drawn; the report goes on without it")
        return None
    finally:
        plt.close(fig)


def _save(fig: Any) -> bytes:
    """PNG bytes of ``fig`` at 100 dpi, laid out tightly, legends outside the axes
    included.

    The same picture as ``fig.tight_layout()`` then ``savefig(..., bbox_inches="tight")``,
    drawn once instead of twice: the tight layout is applied without leaving a layout
    engine on the figure, and the tight bounding box (padded as matplotlib pads it) is
    measured here and handed to ``savefig``, which otherwise prepares every artist once
    more to measure it (for a network figure, tens of thousands of edges).
    """
    import matplotlib
    from matplotlib.layout_engine import TightLayoutEngine

    TightLayoutEngine().execute(fig)
    fig.set_dpi(100)
    tight = fig.get_tightbbox(fig.canvas.get_renderer())
    buf = io.BytesIO()
    fig.savefig(
        buf,
        format="png",
        dpi=100,
        bbox_inches=tight.padded(matplotlib.rcParams["savefig.pad_inches"]),
    )
    return buf.getvalue()


def number(value: float) -> str:
    """Readable numbers in tables: whole numbers as integers, others to 3 significant
    figures (no scientific notation for counts in the thousands)."""
    if np.isnan(value):
        return "–"
    if abs(value) < 5e-13:
        return "0"  # rounding noise, never "-0" or "1e-17"
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def format_value(value: float | None, *, digits: int = 2, percent: bool = False) -> str:
    """A number as the report writes it in sentences: ``digits`` decimals (whole numbers
    for integers), ``percent`` as a whole percentage; never "-0.00"; "not defined" for
    NaN/None."""
    if value is None or (isinstance(value, (float, np.floating)) and np.isnan(value)):
        return "not defined"
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return f"{int(value):,}"
    if percent:
        value, digits = 100 * float(value), 0
    text = f"{float(value):.{digits}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]  # -0.00 is 0.00
    return text + ("%" if percent else "")


def fmt(value: float | None, digits: int = 2) -> str:
    return format_value(value, digits=digits)


def p_text(value: float | None) -> str:
    if value is None or np.isnan(value):
        return "p not defined"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def ei_words(value: float) -> str:
    if np.isnan(value):
        return "not defined (no ties)"
    if value <= -0.6:
        return "ties are overwhelmingly within groups"
    if value < -0.2:
        return "ties are mostly within groups"
    if value <= 0.2:
        return "ties are roughly balanced between within- and across-group"
    if value < 0.6:
        return "ties mostly cross group lines"
    return "ties overwhelmingly cross group lines"


def significance(p: float) -> str:
    if np.isnan(p):
        return "the test could not be run"
    if p < 0.01:
        return "very unlikely to be chance"
    if p < 0.05:
        return "unlikely to be chance"
    if p < 0.1:
        return "weak evidence, could be chance"
    return "consistent with chance"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#222;
line-height:1.45}
header{background:#0b3d62;color:#fff;padding:1.2em 2em}header h1{margin:0 0 .2em 0}
nav{background:#eef3f7;padding:.5em 2em}nav a{margin-right:1em;color:#0b3d62}
main{padding:0 2em 3em 2em;max-width:1200px}
section{border-bottom:1px solid #ddd;padding:1em 0}
table.data{border-collapse:collapse;font-size:.9em;margin:.5em 0}
table.data th,table.data td{border:1px solid #ccc;padding:.25em .5em;text-align:left;
font-variant-numeric:tabular-nums}
table.data th{background:#f3f5f7}
.scroll{overflow-x:auto}.caption{font-weight:600;margin-bottom:0}.note{color:#666}
figure{margin:1em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}
@media print{
@page{size:A4;margin:15mm}
body{font-size:10pt;color:#000}
header{background:none;color:#000;padding:0 0 .5em 0;border-bottom:2px solid #000}
nav{display:none}
main{padding:0;max-width:none}
section{break-inside:auto;border-bottom:none}
h2{break-after:avoid}
table.data{font-size:8pt}
table.data tr,figure{break-inside:avoid}
.scroll{overflow:visible}
figure img{max-width:100%;max-height:120mm}
a{color:#000;text-decoration:none}
}
"""


#: The same strict policy as the maps, with no script at all: nothing is fetched from
#: anywhere (the plots are inline data: images), so the page works offline and injected
#: markup could not run or send anything.
CSP = (
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "font-src data:; connect-src 'none'; form-action 'none'; base-uri 'none'"
)


def page(
    source: str, sections: list[Section], links: list[tuple[str, str]], main_label: str
) -> str:
    """The whole index.html from rendered sections and the list of files written."""
    from connectnet import __version__

    nav = "".join(
        f"<a href='#{s.anchor}'>{html.escape(s.title.split(':')[0])}</a>" for s in sections
    )
    link_items = "".join(
        f"<li><a href='{html.escape(href)}'>{html.escape(href)}</a> — {html.escape(what)}</li>"
        for href, what in links
    )
    source = html.escape(source)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='Content-Security-Policy' content=\"{CSP}\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>connectnet report — {source}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>Network report</h1><div>{source} · made with connectnet "
        f"{html.escape(__version__)} · main network: {html.escape(main_label)}</div></header>"
        f"<nav>{nav}<a href='#files'>Files</a></nav><main>"
        + "".join(s.render() for s in sections)
        + f"<section id='files'><h2>Files</h2><ul>{link_items}</ul></section>"
        "</main></body></html>"
    )
