"""The write stage: staged trees, all-or-nothing swaps, hand-written files never lost."""

import pytest
from conftest import read_tree

from generator import writer
from generator.errors import BuildFailed


def test_stage_and_swap_replace_the_folder(tmp_path):
    dest = tmp_path / "content"
    writer.swap_in([(writer.stage_tree({"a.md": b"1", "x/b.md": b"2"}, dest), dest)])
    writer.swap_in([(writer.stage_tree({"a.md": b"3"}, dest), dest)])
    assert read_tree(dest) == {"a.md": b"3", writer.MANIFEST: b'[\n"a.md"\n]\n'}
    assert [p.name for p in tmp_path.iterdir()] == ["content"]


def test_swap_is_all_or_nothing(tmp_path, monkeypatch):
    one, two = tmp_path / "content", tmp_path / "site"
    writer.swap_in([(writer.stage_tree({"a": b"old"}, one), one), (writer.stage_tree({"b": b"old"}, two), two)])
    before = (read_tree(one), read_tree(two))
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
    assert (read_tree(one), read_tree(two)) == before


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


@pytest.mark.parametrize(
    "rel", ["../evil", "a/../../evil", "/tmp/evil", "a//b", "./a", "a/./b", "a\\..\\..\\evil", "a\0b", "", "a/"]
)
def test_paths_cannot_escape(tmp_path, rel):
    with pytest.raises(BuildFailed, match="refusing to write outside"):
        writer.stage_tree({"ok.md": b"1", rel: b"x"}, tmp_path / "content")
    assert not (tmp_path / "evil").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # the staged folder is gone too
    if rel in ("../evil", "a/../../evil", "/tmp/evil"):  # the preview server's in-place writer refuses escapes too
        with pytest.raises(BuildFailed, match="refusing to write outside"):
            writer.sync_tree({rel: b"x"}, tmp_path / "served")


def test_recover_finishes_a_journaled_swap_after_kill_between_renames(tmp_path, monkeypatch):
    one, two = tmp_path / "content", tmp_path / "site"
    writer.swap_in([(writer.stage_tree({"a": b"v1"}, one), one), (writer.stage_tree({"b": b"v1"}, two), two)])
    staged = [(writer.stage_tree({"a": b"v2"}, one), one), (writer.stage_tree({"b": b"v2"}, two), two)]

    class Killed(BaseException):
        pass

    def kill(step):
        if step == "site aside":
            raise Killed  # stands for SIGKILL: the except clause below is never reached by a real kill

    monkeypatch.setattr(writer, "_reached", kill)
    monkeypatch.setattr(writer.os, "rename", _no_undo_after(Killed, writer.os.rename))
    with pytest.raises(Killed):
        writer.swap_in(staged)
    monkeypatch.undo()
    assert not two.exists() and (tmp_path / writer.JOURNAL).is_file()  # new content, no site: a kill here
    writer.recover(one, two)
    assert (read_tree(one)["a"], read_tree(two)["b"]) == (b"v2", b"v2")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "site"]


def _no_undo_after(exc_type, rename):
    """A rename that refuses to run once ``exc_type`` was raised (so the undo of a real process
    that was killed does not happen)."""

    def guarded(src, dst):
        import sys

        if sys.exc_info()[0] is exc_type:
            raise exc_type
        return rename(src, dst)

    return guarded


def test_recover_removes_every_temporary_folder_without_a_journal(tmp_path):
    dest = tmp_path / "site"
    writer.swap_in([(writer.stage_tree({"i.html": b"v1"}, dest), dest)])
    for name in (
        ".atlas-site.tmp-abc",
        ".atlas-site.old-def",
        ".atlas-zensical.project-x",
        ".site.tmp-legacy",
        ".zensical.tmp-legacy",
    ):
        (tmp_path / name / "sub").mkdir(parents=True)
        (tmp_path / name / "sub" / "f").write_text("x")
        (tmp_path / name / "sub").chmod(0o500)  # read-only inside: removed all the same
    (tmp_path / (writer.JOURNAL + ".tmp")).write_text("[")
    writer.recover(tmp_path / "content", dest)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert read_tree(dest)["i.html"] == b"v1"


def test_folders_get_the_umask_mode_of_mkdir(tmp_path):
    import os

    old = os.umask(0o027)
    try:
        dest = tmp_path / "content"
        writer.swap_in([(writer.stage_tree({"a/b.md": b"1"}, dest), dest)])
        (tmp_path / "plain").mkdir()
    finally:
        os.umask(old)
    assert oct(dest.stat().st_mode & 0o777) == oct((tmp_path / "plain").stat().st_mode & 0o777) == "0o750"
    assert oct((dest / "a").stat().st_mode & 0o777) == "0o750"


def test_site_extras_are_copied_and_listed(tmp_path):
    extras, site = tmp_path / "extra", tmp_path / "built"
    (extras / ".well-known").mkdir(parents=True)
    (extras / "CNAME").write_text("atlas.example.org\n")
    (extras / ".nojekyll").write_text("")
    (extras / ".well-known" / "security.txt").write_text("Contact: x\n")
    site.mkdir()
    (site / "index.html").write_text("<p>")
    assert writer.add_extras(extras, site) == [".nojekyll", ".well-known/security.txt", "CNAME"]
    writer.write_manifest(site)
    writer.check_owned(site)  # everything listed
    (extras / "index.html").write_text("mine")
    with pytest.raises(BuildFailed, match="which the site engine wrote"):
        writer.add_extras(extras, site)
    (site / "stray.txt").write_text("x")
    with pytest.raises(BuildFailed, match="stray.txt was not written by the generator; put it elsewhere"):
        writer.check_owned(site, "put it elsewhere")


def test_a_folder_without_manifest_is_not_replaced(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "CNAME").write_text("x")
    with pytest.raises(BuildFailed, match="has no readable .atlas-manifest.json"):
        writer.check_owned(tmp_path / "site", "keep files in pages/site-extra/")
