"""Write stage: the only code that changes ``content/`` and ``site/``.

Two ways to write a generated tree:

* :func:`stage_tree` + :func:`swap_in` (``build``): the whole tree is written into a temporary
  sibling folder and renamed into place only once everything, the site engine included, has
  succeeded. A failure at any point leaves the previous folders byte-identical.
* :func:`sync_tree` (``serve``): files are compared with what is on disk and only changed ones are
  written, so the preview server reloads only the pages that changed.

The generator owns ``content/`` entirely; a manifest (``.atlas-manifest.json``) lists what it
wrote. A file in ``content/`` that the manifest does not list was put there by hand, and the
writer refuses to replace the folder rather than lose it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from .errors import BuildFailed

MANIFEST = ".atlas-manifest.json"


def _target(root: Path, rel: str) -> Path:
    """``root / rel``, refusing a path that leaves ``root`` by ``..``, an absolute path or a symlink
    on the way (resolved: a few system calls per path, for :func:`sync_tree`'s existing folder).

    Raises:
        BuildFailed: ``rel`` leaves ``root``.
    """
    path = (root / rel).resolve()
    if root.resolve() not in path.parents:
        raise BuildFailed(f"refusing to write outside {root}: {rel}")
    return path


def _fresh_target(root: Path, rel: str) -> Path:
    """``root / rel`` for a folder this process just made (no symlink can be in it): checked by
    its parts only, which is what made writing 40,000 files at 10× take seconds less (issue #8).

    Raises:
        BuildFailed: ``rel`` is absolute, empty or has an empty, ``.`` or ``..`` part.
    """
    parts = rel.split("/")
    if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel or any(part in ("", ".", "..") for part in parts):
        raise BuildFailed(f"refusing to write outside {root}: {rel}")
    return root.joinpath(*parts)


def _manifest_bytes(files: dict[str, bytes]) -> bytes:
    return (json.dumps(sorted(files), ensure_ascii=False, indent=0) + "\n").encode()


def check_owned(dest: Path) -> None:
    """Raise :class:`BuildFailed` if ``dest`` holds a file the generator did not write.

    Raises:
        BuildFailed: naming the first hand-written file, and where hand-written pages belong.
    """
    if not dest.exists():
        return
    manifest = dest / MANIFEST
    listed = set(json.loads(manifest.read_text("utf-8"))) if manifest.is_file() else set()
    for path in sorted(dest.rglob("*")):
        rel = path.relative_to(dest).as_posix()
        if path.is_file() and rel != MANIFEST and rel not in listed:
            raise BuildFailed(f"{dest / rel} was not written by the generator; move hand-written pages to pages/ (the generator copies them into {dest.name}/) and run again. Nothing was changed.")


def stage_tree(files: dict[str, bytes], dest: Path) -> Path:
    """Write ``files`` into a new temporary folder next to ``dest`` and return it.

    Args:
        files: ``{relative POSIX path: bytes}``.
        dest: the folder the tree is meant for (not touched).

    Raises:
        BuildFailed: a path would leave the folder.
        OSError: the disk is full or not writable (the temporary folder is removed).
    """
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.tmp-", dir=dest.parent))
    try:
        made = set()
        for rel, data in sorted(files.items()):
            path = _fresh_target(tmp, rel)
            if path.parent not in made:
                path.parent.mkdir(parents=True, exist_ok=True)
                made.add(path.parent)
            path.write_bytes(data)
        (tmp / MANIFEST).write_bytes(_manifest_bytes(files))
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp


def swap_in(pairs: list[tuple[Path, Path]]) -> None:
    """Replace each ``dest`` by its staged folder, all or none.

    Args:
        pairs: ``[(staged folder, dest)]``. Each dest is renamed aside, the staged folder renamed
            into place; if any rename fails, the ones done are undone. Old folders are deleted
            only after every swap succeeded.
    """
    done: list[tuple[Path, Path, Path | None, bool]] = []
    try:
        for staged, dest in pairs:
            old = None
            if dest.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old-", dir=dest.parent))
                old.rmdir()
                os.rename(dest, old)
            done.append((staged, dest, old, False))
            os.rename(staged, dest)
            done[-1] = (staged, dest, old, True)
    except BaseException:
        for staged, dest, old, moved in reversed(done):
            if moved:
                os.rename(dest, staged)
            if old:
                os.rename(old, dest)
        raise
    for _, _, old, _ in done:
        if old:
            shutil.rmtree(old, ignore_errors=True)


def sync_tree(files: dict[str, bytes], dest: Path, previous: dict[str, bytes] | None = None) -> list[str]:
    """Make ``dest`` hold exactly ``files``, writing only what changed (for the preview server).

    Args:
        files: ``{relative POSIX path: bytes}``.
        dest: the folder (``content/``).
        previous: what an earlier call wrote there, kept by the caller. Given, files are compared
            with it and nothing under ``dest`` is read or listed (issue #8: at 10× reading 38,000
            files back took 6 s); a file changed in ``dest`` by hand then stays until a call
            without it.

    Returns:
        The relative paths written or deleted, sorted.

    Raises:
        BuildFailed: ``dest`` holds a hand-written file (see :func:`check_owned`; checked only
            without ``previous``), or a path would leave ``dest``.
    """
    if previous is None:
        check_owned(dest)
        dest.mkdir(parents=True, exist_ok=True)
        on_disk = {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()} - {MANIFEST}
    else:
        on_disk = set(previous)
    changed = []
    for rel, data in sorted(files.items()):
        path = _target(dest, rel)
        same = previous.get(rel) == data if previous is not None else path.is_file() and path.read_bytes() == data
        if not same:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
            changed.append(rel)
    top = dest.resolve()
    for rel in sorted(on_disk - files.keys()):
        path = _target(dest, rel)
        path.unlink(missing_ok=True)
        changed.append(rel)
        for parent in path.parents:  # folders left empty go too
            if parent == top or any(parent.iterdir()):
                break
            parent.rmdir()
    if previous is None or files.keys() != previous.keys():
        (dest / MANIFEST).write_bytes(_manifest_bytes(files))
    return sorted(changed)


def recover(dest: Path) -> None:
    """Tidy up after a build that was killed: put an old folder back if ``dest`` is missing
    (a kill between the two renames of :func:`swap_in`), then delete temporary folders."""
    olds = sorted(dest.parent.glob(f".{dest.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if not dest.exists() and olds:
        os.rename(olds.pop(), dest)
    for path in [*olds, *dest.parent.glob(f".{dest.name}.tmp-*")]:
        shutil.rmtree(path, ignore_errors=True)
