"""Unpack an uploaded zip safely: GBK member names, no path traversal, no zip bombs."""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from geo.errors import IngestError
from geo.settings import max_unzipped_bytes

__all__ = ["decode_member_name", "safe_member_path", "unpack_zip"]

_UTF8_FLAG = 0x800
_MAX_RATIO = 200  # uncompressed / compressed; real shapefiles compress 2-20 times
_CHUNK = 1024 * 1024


def decode_member_name(info: zipfile.ZipInfo) -> tuple[str, str]:
    """The member's real name and how it was decoded.

    Zip tools on Chinese Windows write names as GBK bytes without the UTF-8 flag; Python then
    reads them as CP437. Undo that: the raw bytes are tried as UTF-8, then GB18030.
    """
    if info.flag_bits & _UTF8_FLAG:
        return info.filename, "utf-8"
    raw = info.filename.encode("cp437")
    if raw.isascii():
        return info.filename, "ascii"
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return info.filename, "cp437"


def safe_member_path(name: str) -> PurePosixPath:
    """The member's relative path, or IngestError if it would land outside the folder."""
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise IngestError(
            f"The zip holds a file that points outside it ({name!r}); it is refused. "
            "Zip the files again from their folder.",
            f"压缩包中的文件路径指向包外（{name!r}），已拒绝。请在文件所在文件夹中重新压缩。",
        )
    return path


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    total = sum(i.file_size for i in infos)
    bomb = any(
        i.file_size > 10 * _CHUNK and i.file_size > _MAX_RATIO * max(i.compress_size, 1)
        for i in infos
    )
    if total > max_unzipped_bytes() or bomb:
        raise _too_big(total)


def _too_big(total: int) -> IngestError:
    cap = max_unzipped_bytes()
    return IngestError(
        f"The zip would unpack to {total / _CHUNK:,.0f} MiB "
        f"(limit {cap / _CHUNK:,.0f} MiB) "
        "or is compressed suspiciously hard; it is refused. Upload the layer on its own.",
        f"压缩包解压后约 {total / _CHUNK:,.0f} MiB（上限 {cap / _CHUNK:,.0f} MiB）"
        "或压缩比异常，已拒绝。请只上传所需图层。",
    )


def unpack_zip(archive: Path, dest: Path) -> list[Path]:
    """Extract ``archive`` into ``dest`` with decoded names; return the files written.

    Sizes are checked before anything is written, and again while writing (a header may lie).
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            _check_sizes(infos)
            written, budget = [], max_unzipped_bytes()
            for info in infos:
                if stat.S_ISLNK(info.external_attr >> 16):
                    continue  # symbolic links are never followed
                name, _ = decode_member_name(info)
                target = dest / safe_member_path(name)
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, target.open("wb") as out:
                    while chunk := src.read(_CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            raise _too_big(max_unzipped_bytes() - budget)
                        out.write(chunk)
                written.append(target)
            return written
    except IngestError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError,
            ValueError, RuntimeError) as exc:  # fmt: skip
        raise IngestError(
            f"The zip is damaged or truncated ({exc}). Download or zip it again.",
            f"压缩包已损坏或不完整（{exc}）。请重新下载或重新压缩。",
        ) from exc
