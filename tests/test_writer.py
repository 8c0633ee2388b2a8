"""The write stage: staged trees, all-or-nothing swaps, hand-written files never lost."""

import pytest

from generator import writer
from generator.errors import BuildFailed


def _tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_stage_and_swap_replace_the_folder(tmp_path):
    dest = tmp_path / "content"
    writer.swap_in([(writer.stage_tree({"a.md": b"1", "x/b.md": b"2"}, dest), dest)])
    writer.swap_in([(writer.stage_tree({"a.md": b"3"}, dest), dest)])
    assert _tree(dest) == {"a.md": b"3", writer.MANIFEST: b'[\n"a.md"\n]\n'}
    assert [p.name for p in tmp_path.iterdir()] == ["content"]


def test_swap_is_all_or_nothing(tmp_path, monkeypatch):
    one, two = tmp_path / "content", tmp_path / "site"
    writer.swap_in([(writer.stage_tree({"a": b"old"}, one), one), (writer.stage_tree({"b": b"old"}, two), two)])
    before = (_tree(one), _tree(two))
    staged = [(writer.stage_tree({"a": b"new"}, one), one), (writer.stage_tree({"b": b"new"}, two), two)]
    real_rename = writer.os.rename
    calls = []

    def failing_rename(src, dst):
        calls.append(src)
        if len(calls) == 4:  # the staged site folder moving into place
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(writer.os, "rename", failing_rename)
    with pytest.raises(OSError):
        writer.swap_in(staged)
    monkeypatch.setattr(writer.os, "rename", real_rename)
    assert (_tree(one), _tree(two)) == before


def test_refuses_to_replace_hand_written_file(tmp_path):
    dest = tmp_path / "content"
    writer.swap_in([(writer.stage_tree({"a.md": b"1"}, dest), dest)])
    (dest / "notes.md").write_text("mine")
    with pytest.raises(BuildFailed, match="notes.md was not written by the generator"):
        writer.check_owned(dest)
    with pytest.raises(BuildFailed):
        writer.sync_tree({"a.md": b"2"}, dest)
    assert (dest / "notes.md").read_text() == "mine" and (dest / "a.md").read_bytes() == b"1"


def test_sync_writes_only_changes_and_removes_deleted(tmp_path):
    dest = tmp_path / "content"
    assert writer.sync_tree({"a.md": b"1", "d/b.md": b"2"}, dest) == ["a.md", "d/b.md"]
    assert writer.sync_tree({"a.md": b"1", "d/b.md": b"3"}, dest) == ["d/b.md"]
    assert writer.sync_tree({"a.md": b"1"}, dest) == ["d/b.md"]
    assert not (dest / "d").exists()


@pytest.mark.parametrize("rel", ["../evil", "a/../../evil", "/tmp/evil", "a//b", "./a", "a/./b", "a\\..\\..\\evil", "a\0b", "", "a/"])
def test_paths_cannot_escape(tmp_path, rel):
    with pytest.raises(BuildFailed, match="refusing to write outside"):
        writer.stage_tree({"ok.md": b"1", rel: b"x"}, tmp_path / "content")
    assert not (tmp_path / "evil").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # the staged folder is gone too
    if rel in ("../evil", "a/../../evil", "/tmp/evil"):  # the preview server's in-place writer refuses escapes too
        with pytest.raises(BuildFailed, match="refusing to write outside"):
            writer.sync_tree({rel: b"x"}, tmp_path / "served")


def test_recover_restores_folder_after_kill_between_renames(tmp_path):
    dest = tmp_path / "site"
    writer.swap_in([(writer.stage_tree({"i.html": b"v1"}, dest), dest)])
    aside = tmp_path / ".site.old-xyz"
    dest.rename(aside)  # killed after moving the old folder aside
    (tmp_path / ".site.tmp-abc").mkdir()
    writer.recover(dest)
    assert (dest / "i.html").read_bytes() == b"v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
