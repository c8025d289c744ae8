"""Decide the text encoding of a .dbf or CSV: its .cpg, the language-driver byte, the bytes."""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

from geo.errors import IngestError

__all__ = [
    "EncodingDecision",
    "canonical_encoding",
    "dbf_text_samples",
    "decide_csv_encoding",
    "decide_dbf_encoding",
    "decode_lenient",
    "decodes_cleanly",
    "preview_encodings",
]

# .dbf header byte 29, the language driver id, to code page (as GDAL's shapelib reads it).
# 0x57 means "ANSI", the writer's system code page: on Chinese Windows that is GBK, so it
# says nothing and the bytes decide.
_LDID = {
    0x01: "CP437", 0x02: "CP850", 0x03: "CP1252", 0x57: None, 0x58: "CP1252", 0x59: "CP1252",
    0x4D: "GB18030", 0x7A: "GB18030", 0x4E: "CP949", 0x79: "CP949", 0x4F: "CP950",
    0x78: "CP950", 0x13: "CP932", 0x7B: "CP932", 0x50: "CP874", 0x7C: "CP874",
    0x64: "CP852", 0x65: "CP866", 0xC8: "CP1250", 0xC9: "CP1251", 0xCA: "CP1254",
    0xCB: "CP1253", 0xCC: "CP1257",
}  # fmt: skip
_CHINESE = {"gbk", "gb2312", "cp936", "gb18030", "936", "ms936", "euc-cn"}
_SAMPLE_RECORDS = 2000


@dataclass(frozen=True)
class EncodingDecision:
    """The encoding text is read with, how it was decided ('cpg', 'ldid', 'bytes', 'user',
    'ascii') and a sentence saying why."""

    encoding: str
    how: str
    detail: str


def canonical_encoding(name: str) -> str:
    """A codec name GDAL (iconv) and Python both accept; GBK and friends become GB18030.

    Raises IngestError for names neither knows.
    """
    key = name.strip().lower()
    if key in _CHINESE:
        return "GB18030"
    if key.isdigit():
        key = "utf-8" if key == "65001" else f"cp{key}"
    try:
        python_name = codecs.lookup(key).name
    except LookupError as exc:
        raise IngestError(
            f"Unknown text encoding {name!r}. Use UTF-8, GBK, GB18030, Big5 or a code page.",
            f"未知的文字编码 {name!r}。请使用 UTF-8、GBK、GB18030、Big5 或代码页编号。",
        ) from exc
    return {"utf-8": "UTF-8", "gb18030": "GB18030", "gbk": "GB18030"}.get(
        python_name, python_name.upper()
    )


def _decode_trimmed(raw: bytes, encoding: str) -> str | None:
    """``raw`` decoded, allowing one character cut off at the end (a .dbf field's width may cut
    a multi-byte character); None if it is not ``encoding``."""
    for cut in range(4):
        try:
            return raw[: len(raw) - cut].decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def decodes_cleanly(value: bytes, encoding: str) -> bool:
    """Whether ``value`` is valid ``encoding``, allowing one character cut off at the end."""
    return _decode_trimmed(value, encoding) is not None


def decode_lenient(raw: bytes, encoding: str) -> str:
    """Decode ``raw``; a character cut off at the end is dropped, and bytes that still do not
    decode show as U+FFFD (never silently as other characters)."""
    text = _decode_trimmed(raw, encoding)
    return text if text is not None else raw.decode(encoding, errors="replace")


def _decide_from_bytes(samples: list[bytes]) -> tuple[str, str] | None:
    wide = [s for s in samples if not s.isascii()]
    if not wide:
        return "UTF-8", "all text is ASCII"
    utf8 = sum(decodes_cleanly(s, "utf-8") for s in wide)
    gb = sum(decodes_cleanly(s, "gb18030") for s in wide)
    if utf8 == len(wide):
        return "UTF-8", f"all {len(wide)} non-ASCII values decode as UTF-8"
    if gb == len(wide):
        return "GB18030", f"all {len(wide)} non-ASCII values decode as GBK/GB18030, not UTF-8"
    best, count = ("UTF-8", utf8) if utf8 >= gb else ("GB18030", gb)
    if count >= 0.9 * len(wide):
        return best, f"{count} of {len(wide)} non-ASCII values decode as {best}"
    return None


def _dbf_fields(data: bytes) -> tuple[int, int, int, list[tuple[bytes, bytes, int]]]:
    if len(data) < 32:
        raise IngestError(
            "The .dbf file is truncated. Export the shapefile again.",
            ".dbf 文件不完整。请重新导出 shapefile。",
        )
    records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields, offset = [], 32
    while offset + 32 <= min(header_len, len(data)) and data[offset] != 0x0D:
        raw = data[offset : offset + 32]
        fields.append((raw[:11].split(b"\0")[0], raw[11:12], raw[16]))
        offset += 32
    return records, header_len, record_len, fields


def dbf_text_samples(dbf: Path, *, records: int = _SAMPLE_RECORDS) -> list[bytes]:
    """Field names and character values of the first ``records`` records, as raw bytes."""
    with dbf.open("rb") as fh:
        head = fh.read(32 * 256 + 2)
        count, header_len, record_len, fields = _dbf_fields(head)
        fh.seek(header_len)
        body = fh.read(record_len * min(count, records))
    samples = [name for name, _, _ in fields]
    for start in range(0, len(body) - record_len + 1, max(record_len, 1)):
        offset = start + 1  # the deletion flag
        for _, kind, width in fields:
            if kind == b"C":
                value = body[offset : offset + width].rstrip(b" \0")
                if value:
                    samples.append(value)
            offset += width
    return samples


def decide_dbf_encoding(dbf: Path, *, user: str | None = None) -> EncodingDecision:
    """Decide how to read a shapefile's text: the planner's choice, its .cpg, the .dbf's
    language-driver byte, or the bytes themselves (UTF-8 or GBK/GB18030)."""
    if user and user.lower() != "auto":
        return EncodingDecision(canonical_encoding(user), "user", f"chosen: {user}")
    cpg = next((p for p in dbf.parent.glob(dbf.stem + ".*") if p.suffix.lower() == ".cpg"), None)
    if cpg is not None:
        declared = cpg.read_text(encoding="ascii", errors="ignore").strip()
        if declared:
            return EncodingDecision(canonical_encoding(declared), "cpg", f".cpg says {declared}")
    with dbf.open("rb") as fh:
        head = fh.read(32)
    ldid = head[29] if len(head) > 29 else 0
    if _LDID.get(ldid):
        page = _LDID[ldid]
        return EncodingDecision(page, "ldid", f"language driver byte 0x{ldid:02X} ({page})")
    decided = _decide_from_bytes(dbf_text_samples(dbf))
    if decided is None:
        raise IngestError(
            "The attribute text is neither UTF-8 nor GBK. Choose its encoding "
            "(--encoding NAME, or the encoding choice in the app).",
            "属性文字既不是 UTF-8 也不是 GBK。请指定编码（命令行 --encoding，或在应用中选择）。",
        )
    return EncodingDecision(decided[0], "bytes", decided[1])


def decide_csv_encoding(csv: Path, *, user: str | None = None) -> EncodingDecision:
    """Decide how to read a CSV: the planner's choice, a BOM, or the bytes."""
    if user and user.lower() != "auto":
        return EncodingDecision(canonical_encoding(user), "user", f"chosen: {user}")
    data = csv.read_bytes()[: 4 * 1024 * 1024]
    if data.startswith(codecs.BOM_UTF8):
        return EncodingDecision("UTF-8", "bytes", "UTF-8 byte-order mark")
    decided = _decide_from_bytes(data.splitlines())
    if decided is None:
        raise IngestError(
            "The CSV is neither UTF-8 nor GBK. Choose its encoding.",
            "CSV 文件既不是 UTF-8 也不是 GBK。请指定编码。",
        )
    return EncodingDecision(decided[0], "bytes", decided[1])


def preview_encodings(samples: list[bytes], encodings: list[str], *, n: int = 6) -> dict:
    """The first ``n`` non-ASCII samples decoded with each encoding, for the planner to judge."""
    wide = [s for s in samples if not s.isascii()][:n] or samples[:n]
    return {enc: [s.decode(enc, errors="replace") for s in wide] for enc in encodings}
