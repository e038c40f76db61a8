"""A compiled catalog on disk: every set of a criteria directory, its measures, regions and
programme, parsed and checked once and pickled in the user's cache directory, so that a
command does not re-read and re-check the YAML at every start.

The cache is keyed by the package version and the exact bytes of every file of the directory
(a changed, added or removed file is a miss). It is only read from a regular file owned by the
user, only trusted when the key inside matches, and any problem reading it is a miss; it is
written atomically and never written when the directory has errors. ``NTM_RULES_CACHE=off``
turns it off; ``NTM_RULES_CACHE=DIR`` puts it in DIR.
"""

from __future__ import annotations

import copyreg
import hashlib
import os
import pickle
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .._version import __version__

FORMAT = 1


def _rebuild_proxy(data: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(data)


def _proxy(mapping: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _rebuild_proxy, (dict(mapping),)


copyreg.pickle(MappingProxyType, _proxy)  # read-only mappings of the model, stored as dicts


def cache_dir() -> Path | None:
    chosen = os.environ.get("NTM_RULES_CACHE", "")
    if chosen.lower() in ("off", "0", "no", "false"):
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ntm_rules"


def catalog_key(root: Path) -> str:
    """The package version and every file of the criteria directory, byte for byte."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _file(root: Path, key: str) -> Path | None:
    folder = cache_dir()
    return None if folder is None else folder / f"catalog-{key[:32]}.pickle"


def read(root: Path) -> dict[str, Any] | None:
    """The compiled catalog of `root`, or None (a miss, whatever the reason)."""
    try:
        key = catalog_key(root)
        path = _file(root, key)
        if path is None or not path.is_file():
            return None
        info = path.stat()
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            return None
        with path.open("rb") as fh:
            payload = pickle.load(fh)  # the user's own file; the key is checked below
        if not isinstance(payload, dict) or payload.get("key") != key:
            return None
        return payload
    except Exception:  # a damaged or foreign cache is only a miss
        return None


def write(root: Path, payload: dict[str, Any]) -> None:
    """Store the compiled catalog (best effort: a read-only home only costs speed)."""
    import tempfile  # only when the cache is written: a run that finds it does not pay

    try:
        key = catalog_key(root)
        path = _file(root, key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".catalog-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump({**payload, "key": key}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except Exception:
        return
