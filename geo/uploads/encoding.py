"""Decide the text encoding of a .dbf or CSV: its .cpg, the language-driver byte, the bytes."""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

from geo.errors import IngestError
from geo.uploads.charsets import (
    MIXED,
    decode_lenient,
    decodes_cleanly,
    python_codec,
    rank_legacy,
    shown_name,
    utf8_text,
)

__all__ = [
    "EncodingDecision",
    "canonical_encoding",
    "dbf_text_samples",
    "decide_csv_encoding",
    "decide_dbf_encoding",
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
_CANONICAL = {  # Python codec name -> the name the atlas shows and stores
    "utf-8": "UTF-8", "gb18030": "GB18030", "gbk": "GB18030", "gb2312": "GB18030",
    "big5": "Big5", "cp950": "Big5", "shift_jis": "Shift_JIS", "cp932": "Shift_JIS",
}  # fmt: skip
_CHINESE = {"gbk", "gb2312", "cp936", "gb18030", "936", "ms936", "euc-cn"}
_SAMPLE_RECORDS = 2000


@dataclass(frozen=True)
class EncodingDecision:
    """The encoding text is read with, how it was decided ('cpg', 'ldid', 'bytes', 'user',
    'ascii'), a sentence saying why, the encodings that read every value (best first), and a
    warning (English, Chinese) when the planner should look."""

    encoding: str
    how: str
    detail: str
    candidates: tuple[str, ...] = ()
    warning: tuple[str, str] | None = None


def canonical_encoding(name: str) -> str:
    """The atlas' name of an encoding a planner typed: GBK and friends become GB18030, CP950
    becomes Big5, CP932 Shift_JIS. Raises IngestError for names Python does not know."""
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
    return _CANONICAL.get(python_name, python_name.upper())


def _legacy_decision(wide: list[bytes], utf8_count: int) -> EncodingDecision | None:
    """Decide the values that are not UTF-8: one legacy encoding, or UTF-8 and one (mixed)."""
    rest = [s for s in wide if not utf8_text(s)]
    ranked = rank_legacy(rest)
    if not ranked:
        return None
    best, share = ranked[0]
    candidates = tuple(e for e, _ in ranked)
    if utf8_count:
        name = f"UTF-8{MIXED}{best}"
        en = (f"The records disagree: {len(rest)} of {len(wide)} text values are "
              f"{shown_name(best)}, the others UTF-8. Each value was read in its own encoding: "
              "check the names in the preview.")  # fmt: skip
        zh = (
            f"记录的编码不一致：{len(wide)} 个文字值中有 {len(rest)} 个是 "
            f"{shown_name(best, 'zh')}，其余为 UTF-8。已按各自的编码读取，请在预览中核对名称。"
        )
        detail = f"{utf8_count} of {len(wide)} non-ASCII values are UTF-8, {len(rest)} {best}"
        return EncodingDecision(name, "bytes", detail, ("UTF-8", *candidates), (en, zh))
    detail = (f"all {len(wide)} non-ASCII values decode as {shown_name(best)}, not UTF-8; "
              f"{share:.0%} of their characters are everyday ones in it")  # fmt: skip
    warning = None
    if best != "GB18030" or share < 0.9:
        warning = (
            f"The text was read as {shown_name(best)}, guessed from its bytes ({share:.0%} "
            f"everyday characters). If names look wrong, choose another encoding: "
            f"{', '.join(candidates)}.",
            f"文字按 {shown_name(best, 'zh')} 读取（根据字节推断，常用字占 {share:.0%}）。"
            f"如名称显示不对，请选择其他编码：{'、'.join(candidates)}。",
        )
    return EncodingDecision(best, "bytes", detail, candidates, warning)


def _decide_from_bytes(samples: list[bytes]) -> EncodingDecision | None:
    wide = [s for s in samples if not s.isascii()]
    if not wide:
        return EncodingDecision("UTF-8", "bytes", "all text is ASCII", ("UTF-8",))
    if all(decodes_cleanly(s, "UTF-8") for s in wide):
        others = tuple(e for e, _ in rank_legacy(wide))
        detail = f"all {len(wide)} non-ASCII values decode as UTF-8"
        return EncodingDecision("UTF-8", "bytes", detail, ("UTF-8", *others))
    return _legacy_decision(wide, sum(utf8_text(s) for s in wide))


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


def _checked_cpg(declared: str, samples: list[bytes]) -> EncodingDecision:
    """The .cpg's encoding, unless the text contradicts it: valid UTF-8 text under a .cpg
    naming another encoding is UTF-8; text that is not UTF-8 under a .cpg saying UTF-8 is read
    in the encoding its bytes fit (a Western one, CP1252, for Latin text). Said either way."""
    said = canonical_encoding(declared)
    wide = [s for s in samples if not s.isascii()]
    if not wide:
        return EncodingDecision(said, "cpg", f".cpg says {declared}")
    utf8 = [s for s in wide if utf8_text(s)]
    if said != "UTF-8" and len(utf8) == len(wide):
        better = "UTF-8"
    elif said == "UTF-8" and len(utf8) < len(wide):
        other = [s for s in wide if s not in utf8]
        ranked = rank_legacy(other)
        if ranked and ranked[0][1] >= 0.5:  # everyday East Asian characters: that encoding
            better = ranked[0][0]
        elif all(_reads_as(s, "CP1252") for s in other):
            better = "CP1252"  # Latin letters (ß, ü, é): a Western code page
        else:
            return EncodingDecision(said, "cpg", f".cpg says {declared}")
    else:
        return EncodingDecision(said, "cpg", f".cpg says {declared}")
    return EncodingDecision(
        better, "bytes", f".cpg says {declared}, the text is {better}",
        warning=(f"The .cpg says {declared} but the text reads as {better}: read as {better}. "
                 "Check the names in the preview; choose the encoding if they look wrong.",
                 f".cpg 文件声明编码为 {declared}，但文字实际为 {better}：已按 {better} 读取。"
                 "请在预览中核对名称，如不对请选择编码。"),
    )  # fmt: skip


def _reads_as(raw: bytes, encoding: str) -> bool:
    """Whether ``raw`` decodes in ``encoding`` to ASCII and Latin letters only (À-ÿ, Ā-ž)."""
    try:
        text = raw.decode(python_codec(encoding)).rstrip(" \x00")
    except UnicodeDecodeError:
        return False
    return all((c.isascii() and c.isprintable()) or "\u00c0" <= c <= "\u017f" for c in text)


def decide_dbf_encoding(dbf: Path, samples: list[bytes] | None = None, *,
                        user: str | None = None) -> EncodingDecision:  # fmt: skip
    """Decide how to read a shapefile's text: the planner's choice, its .cpg (unless the text
    contradicts it), the .dbf's language-driver byte, or the bytes themselves (UTF-8 or
    GBK/GB18030). ``samples`` are ``dbf_text_samples(dbf)`` where the caller has them."""
    if user and user.lower() != "auto":
        return EncodingDecision(canonical_encoding(user), "user", f"chosen: {user}")
    samples = dbf_text_samples(dbf) if samples is None else samples
    cpg = next((p for p in dbf.parent.glob(dbf.stem + ".*") if p.suffix.lower() == ".cpg"), None)
    if cpg is not None:
        declared = cpg.read_text(encoding="ascii", errors="ignore").strip()
        if declared:
            return _checked_cpg(declared, samples)
    with dbf.open("rb") as fh:
        head = fh.read(32)
    ldid = head[29] if len(head) > 29 else 0
    if _LDID.get(ldid):
        page = canonical_encoding(_LDID[ldid])
        return EncodingDecision(page, "ldid", f"language driver byte 0x{ldid:02X} ({page})")
    decided = _decide_from_bytes(samples)
    if decided is None:
        raise IngestError(
            "The attribute text is neither UTF-8, GBK, Big5 nor Shift_JIS. Choose its encoding "
            "(--encoding NAME, or the encoding choice in the app).",
            "属性文字既不是 UTF-8、GBK、Big5 也不是 Shift_JIS。请指定编码（命令行 --encoding，"
            "或在应用中选择）。",
        )
    return decided


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
            "The CSV is neither UTF-8, GBK, Big5 nor Shift_JIS. Choose its encoding.",
            "CSV 文件既不是 UTF-8、GBK、Big5 也不是 Shift_JIS。请指定编码。",
        )
    if MIXED in decided.encoding:
        raise IngestError(
            "The CSV mixes UTF-8 and another encoding line by line. Save it again as UTF-8.",
            "CSV 文件中 UTF-8 与其他编码混用。请重新保存为 UTF-8。",
        )
    return decided


def preview_encodings(samples: list[bytes], encodings: list[str], *, n: int = 6) -> dict:
    """``n`` non-ASCII samples decoded with each encoding, for the planner to judge: those that
    are not UTF-8 text first (in a file whose records disagree, the ones to check)."""
    wide = sorted((s for s in samples if not s.isascii()), key=utf8_text)[:n] or samples[:n]
    return {enc: [decode_lenient(s, enc) for s in wide] for enc in dict.fromkeys(encodings)}
