"""Private: writing a report folder safely.

A report is written into a new temporary folder beside the target and moved into place
only when it is complete, so an interrupted run never leaves a half-written report, nor a
mix of old and new files (a ``--hide-names`` run cannot leave real names behind from an
earlier run). A marker file identifies a folder written by connectnet; any other non-empty
folder is refused unless ``force=True``.

The move works on Windows too: a folder cannot be renamed onto an existing folder there
(``os.replace`` raises), so an earlier report is first moved aside, the new one moved into
its place, and the old one deleted; if the second move fails the old report is put back.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MARKER = ".connectnet-report"
_MARKER_TEXT = (
    "This folder was written by `connectnet report`.\n"
    "connectnet deletes and rewrites it when a report is written here again.\n"
)


class OutputFolderError(OSError):
    """The report folder cannot be written as asked (one line, with what to do)."""


def is_report_folder(path: Path) -> bool:
    """True when ``path`` is a folder written by connectnet (it holds the marker file)."""
    return (path / MARKER).is_file()


def _check_target(out: Path, *, force: bool) -> None:
    if out.exists() and not out.is_dir():
        msg = f"{out}: is a file, not a folder; give --out a folder name (new or a report)."
        raise OutputFolderError(msg)
    if out.is_dir() and any(out.iterdir()) and not is_report_folder(out):
        resolved = out.resolve()
        if resolved == Path(resolved.anchor) or resolved == Path.home().resolve():
            msg = f"{out}: will not replace a drive root or your home folder; use a new folder."
            raise OutputFolderError(msg)
        if not force:
            shown = sorted(p.name for p in out.iterdir())[:3]
            msg = (
                f"{out}: the folder is not empty and is not a connectnet report (it holds "
                f"{', '.join(shown)}{' ...' if len(shown) == 3 else ''}); choose a new or empty "
                "folder, or pass --force (force=True) to replace everything in it."
            )
            raise OutputFolderError(msg)


@contextmanager
def report_folder(out: str | os.PathLike[str], *, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder to write a report into; on success it replaces ``out``.

    Parameters
    ----------
    out
        The report folder. It may be missing, empty, or an earlier connectnet report
        (replaced entirely); any other non-empty folder needs ``force=True``.
    force
        Replace a non-empty folder that is not a connectnet report.

    Raises
    ------
    OutputFolderError
        ``out`` is a file, or a non-empty non-report folder without ``force``.
    OSError
        The file system refused (a name too long, no permission, a file open elsewhere).
    """
    target = Path(out)
    _check_target(target, force=force)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.writing-", dir=parent))
    try:
        (temp / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
        yield temp
        _move_into_place(temp, target)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise


def _move_into_place(temp: Path, target: Path) -> None:
    if not target.exists():
        os.replace(temp, target)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name[:40]}.old-", dir=target.parent))
    old.rmdir()  # only the unique name is wanted
    os.replace(target, old)
    try:
        os.replace(temp, target)
    except BaseException:
        os.replace(old, target)  # put the earlier report back
        raise
    shutil.rmtree(old, ignore_errors=True)
