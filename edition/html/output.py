"""The site's files as they are written into the build's scratch folder: a file whose bytes
are exactly those of the last build's file at the same path is hard-linked from it.

Creating a file is what a clean build of the site spends most on here: a new inode costs
about a millisecond (half of it system time) on this machine's file system, a hard link a
fiftieth of that, and the site is ~3,000 files (most of them the static DTS API's), nearly
all of them the same from one build to the next. The bytes are always made afresh and
compared with the old file's (nothing is trusted: this is not a cache); only the inode is
shared, and only while the build runs: once the new folder is swapped in, the old one is
removed (build.swap_in), which only drops the old names. A failed build removes its scratch
folder, which only drops the new names: the previous build stays as it was.

A file is linked only when the old one is a regular file (not a link) of this user, with no
other name (st_nlink 1: nothing outside build/html shares it), the mode a new file gets here,
reached by its own path under the last build's folder with no symbolic link on the way;
otherwise, or where the file system cannot link (EXDEV, EPERM, …), it is written. A path is
never written twice through a shared inode: `write` removes whatever the path holds first.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path


class SiteFiles:
    """Writes files under `out` (the scratch folder of build/html), taking the inodes of
    `previous` (the last build's build/html) where the bytes are the same; `previous` None:
    plain writes. `linked` / `written` count what it did."""

    def __init__(self, out: Path, previous: Path | None = None):
        self.out = Path(out)
        self._prefix = os.path.join(os.fspath(out), "")
        self.previous = None
        if previous is not None and os.path.isdir(previous) and not os.path.islink(previous):
            self.previous = os.path.realpath(previous)
        self._uid = os.geteuid()
        self._mode: int | None = None  # st_mode of a file this process creates (the umask's)
        self._folders: dict[str, bool] = {}  # relative folder → reached without a link
        self.linked = self.written = 0

    def write(self, path: Path, data: bytes, link: bool = True) -> None:
        """`data` into `path` (under `out`; its folder exists). Whatever `path` held is
        removed first, never written through: its inode may be the last build's too.
        `link` False: a file of its own, never the last build's."""
        path = os.fspath(path)
        if link and self.previous is not None and self._mode is not None and self._link(path, data):
            self.linked += 1
            return
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            handle = os.open(path, flags, 0o666)
        except FileExistsError:
            os.unlink(path)
            handle = os.open(path, flags, 0o666)
        with open(handle, "wb") as out:
            out.write(data)
        self.written += 1
        if self._mode is None:
            self._mode = os.stat(path).st_mode

    def write_text(self, path: Path, text: str) -> None:
        self.write(path, text.encode("utf-8"))

    def copy(self, source: Path, path: Path) -> None:
        """shutil.copy(source, path): its bytes, and its permission bits."""
        data, bits = Path(source).read_bytes(), stat.S_IMODE(os.stat(source).st_mode)
        if self._mode is not None and bits == stat.S_IMODE(self._mode):
            self.write(path, data)
            return
        self.write(path, data, link=False)
        os.chmod(path, bits)  # its own inode: the last build's file is not touched

    def _link(self, path: str, data: bytes) -> bool:
        if not path.startswith(self._prefix):
            return False
        relative = path[len(self._prefix):]
        if not self._plain_folder(relative.rpartition(os.sep)[0]) or ".." in relative.split(os.sep):
            return False
        old = os.path.join(self.previous, relative)
        try:
            handle = os.open(old, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            return False
        try:
            info = os.fstat(handle)
            # one read of a byte more than wanted: a file that is longer, or grew, differs
            if (info.st_size != len(data) or info.st_nlink != 1 or info.st_uid != self._uid
                    or info.st_mode != self._mode or os.read(handle, len(data) + 1) != data):
                return False
            try:
                os.link(old, path, follow_symlinks=False)
            except FileExistsError:
                os.unlink(path)
                os.link(old, path, follow_symlinks=False)
            made = os.lstat(path)
            if (made.st_ino, made.st_dev) != (info.st_ino, info.st_dev):  # not the file just read
                os.unlink(path)
                return False
        except OSError:
            return False
        finally:
            os.close(handle)
        return True

    def _plain_folder(self, folder: str) -> bool:
        """Whether previous/folder is that folder itself (no symbolic link on the way)."""
        known = self._folders.get(folder)
        if known is None:
            place = os.path.join(self.previous, folder) if folder else self.previous
            known = self._folders[folder] = os.path.realpath(place) == os.path.normpath(place)
        return known
