"""Unpack an uploaded zip safely: GBK member names, no path traversal, no zip bombs."""

from __future__ import annotations

import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from geo.errors import IngestError
from geo.settings import max_unzipped_bytes
from geo.uploads.charsets import decodes_cleanly, python_codec, rank_legacy

__all__ = ["decode_member_name", "member_name_encoding", "safe_member_path", "unpack_zip"]

_UTF8_FLAG = 0x800
_MAX_RATIO = 200  # uncompressed / compressed, over the whole zip; real geodata: 2-20 times
_CHUNK = 1024 * 1024
_RATIO_FLOOR = 10 * _CHUNK  # below this a zip may compress as hard as it likes
_MAX_NAME_BYTES = 255  # one path component, as Linux and Windows file systems allow


def _raw_name(info: zipfile.ZipInfo) -> bytes | None:
    """The member name's bytes as the zip tool wrote them; None when flagged UTF-8."""
    return None if info.flag_bits & _UTF8_FLAG else info.filename.encode("cp437")


def member_name_encoding(infos: list[zipfile.ZipInfo]) -> str:
    """The legacy encoding the zip's unflagged, non-UTF-8 names are in (decided over all of
    them together: GBK, Big5 or Shift_JIS); 'GB18030' when there are none."""
    raws = [r for i in infos if (r := _raw_name(i)) and not r.isascii()]
    ranked = rank_legacy([r for r in raws if not decodes_cleanly(r, "UTF-8")])
    return ranked[0][0] if ranked else "GB18030"


def decode_member_name(info: zipfile.ZipInfo, legacy: str = "GB18030") -> tuple[str, str]:
    """The member's real name and how it was decoded.

    Zip tools on Chinese, Taiwanese or Japanese Windows write names in the system code page
    without the UTF-8 flag; Python then reads them as CP437. Undo that: the raw bytes are tried
    as UTF-8, then as ``legacy`` (see ``member_name_encoding``).
    """
    raw = _raw_name(info)
    if raw is None:
        return info.filename, "utf-8"
    if raw.isascii():
        return info.filename, "ascii"
    for encoding in ("UTF-8", legacy):
        if (name := _decode_whole(raw, encoding)) is not None:
            return name, encoding
    return info.filename, "cp437"


def _decode_whole(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(python_codec(encoding))
    except UnicodeDecodeError:
        return None


def safe_member_path(name: str) -> PurePosixPath:
    """The member's relative path, or IngestError if it would land outside the folder or
    cannot be a file name here."""
    path = PurePosixPath(name.replace("\\", "/"))
    drive = bool(path.parts) and len(path.parts[0]) == 2 and path.parts[0][1] == ":"
    if path.is_absolute() or ".." in path.parts or drive:
        raise IngestError(
            f"The zip holds a file that points outside it ({name!r}); it is refused. "
            "Zip the files again from their folder.",
            f"压缩包中的文件路径指向包外（{name!r}），已拒绝。请在文件所在文件夹中重新压缩。",
        )
    longest = max((len(part.encode()) for part in path.parts), default=0)
    if longest > _MAX_NAME_BYTES:
        raise IngestError(
            f"The zip holds a file whose name is too long ({longest} bytes; at most "
            f"{_MAX_NAME_BYTES}): {name[:40]}... Shorten the name and zip it again.",
            f"压缩包中的文件名过长（{longest} 字节，上限 {_MAX_NAME_BYTES}）：{name[:40]}…… "
            "请缩短文件名后重新压缩。",
        )
    return path


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > max_unzipped_bytes():
        raise _too_big(f"would unpack to {_mib(total)}", f"解压后为 {_mib(total)}")
    if total > _RATIO_FLOOR and total > _MAX_RATIO * packed:
        raise IngestError(
            f"The zip is compressed {total / packed:,.0f} times ({_mib(packed)} unpacking to "
            f"{_mib(total)}); real geodata compresses 2 to 20 times, so it is refused as a zip "
            "bomb. Zip only the layer's own files.",
            f"压缩包的压缩比为 {total / packed:,.0f} 倍（{_mib(packed)} 解压为 {_mib(total)}），"
            "而真实地理数据只有 2-20 倍，已作为压缩炸弹拒绝。请只压缩图层本身的文件。",
        )


def _check_names(names: list[str]) -> None:
    seen: dict[str, str] = {}
    for name in names:
        key = name.replace("\\", "/").casefold()
        if key in seen:
            raise IngestError(
                f"The zip holds {name} twice (also as {seen[key]}); which one is meant cannot "
                "be told. Remove the extra copy and zip the files again.",
                f"压缩包中有两个 {name}（另一个为 {seen[key]}），无法判断应使用哪一个。"
                "请删除多余的文件后重新压缩。",
            )
        seen[key] = name


def _mib(size: int) -> str:
    text = f"{size / _CHUNK:,.1f}" if size < 10 * _CHUNK else f"{size / _CHUNK:,.0f}"
    return f"{text.removesuffix('.0')} MiB"


def _too_big(what_en: str, what_zh: str) -> IngestError:
    cap = _mib(max_unzipped_bytes())
    return IngestError(
        f"The zip {what_en}, over the limit {cap} (SIP_ATLAS_MAX_UNZIPPED_MB); it is refused. "
        "Upload the layer on its own.",
        f"压缩包{what_zh}，超过 {cap} 的上限，已拒绝。请只上传所需图层。",
    )


def _clash(name: str) -> IngestError:
    """The zip holds a file and a folder of one name (``name`` is the entry that met it)."""
    return IngestError(
        f"The zip holds a file and a folder of the same name ({name} and the entries beside "
        "it), which no folder can hold. Rename one and zip again.",
        f"压缩包中有同名的文件和文件夹（{name} 附近），无法同时解压。请重命名其中之一后重新压缩。",
    )


def unpack_zip(archive: Path, dest: Path) -> list[Path]:
    """Extract ``archive`` into ``dest`` with decoded names; return the files written.

    Sizes are checked before anything is written, and again while writing (a header may lie).
    """
    try:
        with zipfile.ZipFile(archive) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            _check_sizes(infos)
            legacy = member_name_encoding(infos)
            names = [decode_member_name(i, legacy)[0] for i in infos]
            _check_names(names)
            written, budget = [], max_unzipped_bytes()
            for info, name in zip(infos, names, strict=True):
                if stat.S_ISLNK(info.external_attr >> 16):
                    continue  # symbolic links are never followed
                target = dest / safe_member_path(name)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if target.is_dir():
                        raise FileExistsError
                except (FileExistsError, NotADirectoryError):
                    raise _clash(name) from None
                with zf.open(info) as src, target.open("wb") as out:
                    while chunk := src.read(_CHUNK):
                        budget -= len(chunk)
                        if budget < 0:
                            raise _too_big("unpacks to more than its header says",
                                           "实际解压大小超过其声明")  # fmt: skip
                        out.write(chunk)
                written.append(target)
            return written
    except IngestError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError,
            ValueError, RuntimeError) as exc:  # fmt: skip
        said = str(exc).replace(f"{dest}/", "").replace(str(dest), "")  # no server folders
        raise IngestError(
            f"The zip is damaged or truncated ({said}). Download or zip it again.",
            f"压缩包已损坏或不完整（{said}）。请重新下载或重新压缩。",
        ) from exc
