"""Writing output files safely: never over an input, never over a file unless asked, never partial.

Every report file (`--html`, `--csv`, `--xlsx`, ...) goes through :func:`write_atomic` or
:func:`write_atomic_with`:

* the target must not be one of the input files (compared by resolved path and, when both
  exist, by :func:`os.path.samefile`, so symlinks and hard links are caught too); this holds even
  with ``force=True``;
* an existing target is refused unless ``force=True`` ("use --force to overwrite");
* the content goes to a temporary file in the target's directory, which is then moved over the
  target with :func:`os.replace` (atomic on POSIX and Windows): a reader sees either the old file
  or the complete new one, never a partial file;
* on any failure the temporary file is removed and the target is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import NtmRulesError

__all__ = ["OutputError", "check_output_path", "write_atomic", "write_atomic_with"]


class OutputError(NtmRulesError):
    """An output file that must not or could not be written; the message says what to do."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
    except OSError:  # pragma: no cover - resolve() only fails on exotic loops
        pass
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (or cannot be stat'ed): not the same file
        return False


def check_output_path(path: Path | str, *, force: bool, inputs: Iterable[Path | str] = ()) -> Path:
    """Check that `path` may be written; return it as a :class:`Path`.

    Raises :class:`OutputError` when `path` is an input file, a directory, in a missing
    directory, or exists and `force` is false.
    """
    target = Path(path)
    for inp in inputs:
        if _same_file(target, Path(inp)):
            raise OutputError(
                f"{target}: refusing to write a report over the input file {inp}; "
                "choose another output path"
            )
    if target.is_dir():
        raise OutputError(f"{target}: is a directory; give a file name for the output")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(
            f"{target}: the directory {parent} does not exist; create it first or choose "
            "another output path"
        )
    if os.path.lexists(target) and not force:
        raise OutputError(f"{target}: the file already exists; use --force to overwrite it")
    return target


def _final_mode(target: Path) -> int:
    """The permission bits the new file gets: those of the file it replaces, else 0666 - umask."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        pass
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic_with(
    path: Path | str,
    writer: Callable[[Path], object],
    *,
    force: bool,
    inputs: Iterable[Path | str] = (),
) -> Path:
    """Write `path` through ``writer(temp_path)`` and move the result into place atomically.

    `writer` receives the path of an empty temporary file in the target's directory (same
    suffix as the target, e.g. ``.xlsx``) and must write the whole content there, e.g.
    ``lambda p: workbook.save(p)``. The checks of :func:`check_output_path` apply. If `writer` or
    the move raises, the temporary file is removed, the target is untouched and the exception
    propagates (an :class:`OSError` is wrapped in :class:`OutputError`).
    """
    target = check_output_path(path, force=force, inputs=inputs)
    parent = target.parent if str(target.parent) else Path(".")
    mode = _final_mode(target)
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}"
        )
    except OSError as exc:
        raise OutputError(
            f"{target}: cannot create a file in {parent}: {exc.strerror or exc}; "
            "check the directory's permissions"
        ) from exc
    tmp = Path(tmp_name)
    try:
        os.close(fd)
        writer(tmp)
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise OutputError(
                f"{target}: could not write the file: {exc.strerror or exc}; nothing was written"
            ) from exc
        raise
    return target


def write_atomic(
    path: Path | str, data: bytes | str, *, force: bool, inputs: Iterable[Path | str] = ()
) -> Path:
    """Write `data` (``str`` is encoded as UTF-8, as is) to `path` atomically; return the path.

    See :func:`write_atomic_with` for the guarantees and :func:`check_output_path` for the
    refusals. The data is flushed and fsync'ed before the move.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def _write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())

    return write_atomic_with(path, _write, force=force, inputs=inputs)
