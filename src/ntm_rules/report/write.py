"""Writing output files safely: never over an input, never over a file unless asked, never
partial, never in place of a device.

Every report file (`--html`, `--csv`, `--xlsx`, `--sqlite`...) goes through :func:`write_all`
(or :func:`write_atomic` for one):

* a target that is one of the inputs (same resolved path, or the same file through a link), or
  a file inside an input directory, is refused, even with ``force``;
* an existing regular file is refused unless ``force`` ("use --force to overwrite"); two runs
  without ``force`` cannot both succeed: the final move refuses a file that appeared meanwhile;
* ``-`` means standard output; a character device (``/dev/stdout``, ``/dev/null``) or a FIFO
  is written to directly, never replaced; any other kind of file (a directory, a socket) is
  refused;
* regular files are written to temporary files in their directories first; only when every
  output has been written are they moved into place (:func:`os.replace`, atomic), so a failing
  output (disk full) leaves every target as it was; on any failure, interruption or signal the
  temporary files are removed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from ..errors import NtmRulesError

__all__ = ["Output", "OutputError", "check_output_path", "write_all", "write_atomic"]

Writer = Callable[[Path], object]  # writes the whole content to the path it is given


class OutputError(NtmRulesError):
    """An output file that must not or could not be written; the message says what to do."""


@dataclass(frozen=True)
class Output:
    """One output: where, and a function writing the whole content to a path it is given."""

    path: Path
    writer: Writer


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
    except OSError:  # pragma: no cover - resolve() only fails on exotic loops
        pass
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _inside(target: Path, folder: Path) -> bool:
    try:
        target.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def _kind(path: Path) -> str:
    """``stdout``, ``new``, ``regular``, ``device`` (character device or FIFO), ``dir`` or
    ``other``."""
    if str(path) == "-":
        return "stdout"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "new" if not os.path.islink(path) else "other"  # a dangling link: refused
    except OSError:
        return "other"
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        return "device"
    if stat.S_ISDIR(mode):
        return "dir"
    return "other"


def check_output_path(path: Path | str, *, force: bool, inputs: Iterable[Path | str] = ()) -> Path:
    """Check that `path` may be written; return it as a :class:`Path`."""
    target = Path(path)
    kind = _kind(target)
    if kind in ("stdout", "device"):
        return target
    for inp in inputs:
        inp = Path(inp)
        if _same_file(target, inp) or (inp.is_dir() and _inside(target, inp)):
            raise OutputError(
                f"{target}: refusing to write a report over the input {inp}; "
                "choose another output path"
            )
    if kind == "dir":
        raise OutputError(f"{target}: is a directory; give a file name for the output")
    if kind == "other":
        raise OutputError(f"{target}: is not a regular file; choose another output path")
    parent = target.parent if str(target.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(
            f"{target}: the directory {parent} does not exist; create it first or choose "
            "another output path"
        )
    if kind == "regular" and not force:
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


@contextlib.contextmanager
def _cleanup_on_signal(temps: list[Path]) -> Iterator[None]:
    """Remove `temps` when SIGTERM or SIGHUP arrives (then exit as the signal asks)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise SystemExit(128 + signum)

    saved: dict[int, object] = {}
    for sig in (signal.SIGTERM, getattr(signal, "SIGHUP", None)):
        if sig is None:
            continue
        with contextlib.suppress(ValueError):  # not the main thread: no handlers
            saved[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in saved.items():
            signal.signal(sig, old)  # type: ignore[arg-type]


def _write_direct(output: Output) -> None:
    """Write to standard output, a character device or a FIFO: in place, never replaced."""
    if str(output.path) == "-":
        with tempfile.TemporaryDirectory() as folder:
            tmp = Path(folder) / ("out" + output.path.suffix)
            output.writer(tmp)
            sys.stdout.flush()
            with open(tmp, "rb") as fh:
                sys.stdout.buffer.write(fh.read())
            sys.stdout.flush()
        return
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder) / ("out" + output.path.suffix)
        output.writer(tmp)
        with open(tmp, "rb") as src, open(output.path, "wb") as dst:
            dst.write(src.read())


def _publish(tmp: Path, target: Path, force: bool) -> None:
    if force:
        os.replace(tmp, target)
        return
    try:  # no --force: the target must still not exist (another run may have written it)
        os.link(tmp, target)
    except FileExistsError:
        raise OutputError(
            f"{target}: the file appeared while this run was writing; use --force to overwrite it"
        ) from None
    except OSError:  # no hard links here (some file systems): last check, then move
        if os.path.lexists(target):
            raise OutputError(
                f"{target}: the file already exists; use --force to overwrite it"
            ) from None
        os.replace(tmp, target)
        return
    tmp.unlink()


def write_all(outputs: Sequence[Output], *, force: bool, inputs: Iterable[Path | str] = ()) -> None:
    """Write every output, or none (see the module docstring)."""
    inputs = list(inputs)
    targets = [check_output_path(o.path, force=force, inputs=inputs) for o in outputs]
    regular = [o for o, t in zip(outputs, targets, strict=True) if _kind(t) in ("new", "regular")]
    real = [str(Path(o.path).resolve()) for o in regular]
    if len(set(real)) != len(real):
        raise OutputError("two outputs name the same file; give each output its own file")
    temps: list[Path] = []
    done: list[tuple[Path, Path]] = []
    try:
        with _cleanup_on_signal(temps):
            for output in regular:
                target = Path(output.path)
                parent = target.parent if str(target.parent) else Path(".")
                try:
                    fd, name = tempfile.mkstemp(
                        dir=parent, prefix=f".{target.name}.", suffix=f".tmp{target.suffix}"
                    )
                except OSError as exc:
                    raise OutputError(
                        f"{target}: cannot create a file in {parent}: {exc.strerror or exc}; "
                        "check the directory's permissions"
                    ) from exc
                tmp = Path(name)
                temps.append(tmp)
                os.close(fd)
                output.writer(tmp)
                os.chmod(tmp, _final_mode(target))
                done.append((tmp, target))
            for output in outputs:
                if output not in regular:
                    _write_direct(output)
            for tmp, target in done:
                _publish(tmp, target, force)
    except OSError as exc:
        raise OutputError(
            f"could not write the outputs: {exc.strerror or exc}; none of them was written"
        ) from exc
    finally:
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()


def write_atomic(
    path: Path | str, data: bytes | str, *, force: bool, inputs: Iterable[Path | str] = ()
) -> Path:
    """Write `data` (``str`` as UTF-8) to `path` (see :func:`write_all`); return the path."""
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)

    def _write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())

    write_all([Output(Path(path), _write)], force=force, inputs=inputs)
    return Path(path)


def write_atomic_with(
    path: Path | str, writer: Writer, *, force: bool, inputs: Iterable[Path | str] = ()
) -> Path:
    """Write `path` through ``writer(temp_path)`` (see :func:`write_all`)."""
    write_all([Output(Path(path), writer)], force=force, inputs=inputs)
    return Path(path)
