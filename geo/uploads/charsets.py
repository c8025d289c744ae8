"""Tell legacy East Asian text encodings apart (GBK, Big5, Shift_JIS) and decode with them.

Bytes in the wrong one of these still decode, to rare characters: Big5 read as GBK gives
characters outside GB2312, GBK read as Big5 uncommon traditional ones. Each encoding is scored
by the share of everyday characters it reads the bytes as. Short GBK values can also be valid
UTF-8 by chance; such UTF-8 is told from real text by the characters it gives.
"""

from __future__ import annotations

import re

__all__ = [
    "MIXED",
    "clean_text",
    "decode_lenient",
    "decode_trimmed",
    "decodes_cleanly",
    "plausible_utf8",
    "python_codec",
    "rank_legacy",
    "shown_name",
    "shown_text",
    "suspect_values",
    "utf8_text",
]

# The atlas' names whose Python codec is a superset of the standard one (Microsoft's tables,
# which Windows tools write).
_CODEC = {"Big5": "cp950", "Shift_JIS": "cp932"}
MIXED = "+"  # 'UTF-8+GB18030': each value in the first encoding when it is valid, else the second
_SHOWN = {"GB18030": "GBK/GB18030", "Big5": "Big5 (traditional Chinese)",
          "Shift_JIS": "Shift_JIS (Japanese)"}  # fmt: skip
_SHOWN_ZH = {"GB18030": "GBK/GB18030", "Big5": "Big5（繁体中文）", "Shift_JIS": "Shift_JIS（日文）"}


def _common_gb(char: str) -> bool:
    """In GB2312: the 6,763 hanzi and symbols of everyday simplified Chinese."""
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _common_big5(char: str) -> bool:
    """Big5's symbols and its 5,401 frequent hanzi (lead bytes 0xA1-0xC6)."""
    try:
        raw = char.encode("cp950")
    except UnicodeEncodeError:
        return False
    return len(raw) == 2 and 0xA1 <= raw[0] <= 0xC6


def _common_sjis(char: str) -> bool:
    """Kana, JIS symbols and JIS level-1 kanji (lead bytes 0x81-0x84, 0x88-0x98)."""
    if "\u3040" <= char <= "\u30ff" or "\uff61" <= char <= "\uff9f":
        return True
    try:
        raw = char.encode("cp932")
    except UnicodeEncodeError:
        return False
    return len(raw) == 2 and (0x81 <= raw[0] <= 0x84 or 0x88 <= raw[0] <= 0x98)


# Legacy East Asian encodings, in order of preference on a tie, with their everyday characters.
_LEGACY = {"GB18030": _common_gb, "Big5": _common_big5, "Shift_JIS": _common_sjis}


def python_codec(encoding: str) -> str:
    """The Python codec that reads the atlas' encoding ``encoding`` (not a mixed one)."""
    return _CODEC.get(encoding, encoding)


# Where the non-ASCII characters of real UTF-8 attribute text fall: Latin letters, general
# punctuation and symbols, CJK and its punctuation, kana, Hangul, full-width forms. A short GBK
# value can be valid UTF-8 by chance (状态 reads as '״̬'), but not inside these ranges.
_PLAUSIBLE = ((0x80, 0x24F), (0x2000, 0x2BFF), (0x3000, 0x9FFF), (0xAC00, 0xD7AF),
              (0xF900, 0xFAFF), (0xFE30, 0xFFEF))  # fmt: skip


def plausible_utf8(text: str) -> bool:
    """Whether every non-ASCII character of ``text`` is one real attribute text uses."""
    return all(any(a <= ord(c) <= b for a, b in _PLAUSIBLE) for c in text if not c.isascii())


def decode_trimmed(raw: bytes, encoding: str) -> str | None:
    """``raw`` decoded, allowing one character cut off at the end (a .dbf field's width may cut
    a multi-byte character); None if it is not ``encoding``. For 'UTF-8+X', UTF-8 where it
    reads as plausible text, else X."""
    parts = encoding.split(MIXED)
    for n, part in enumerate(parts):
        codec = python_codec(part)
        for cut in range(min(4, len(raw))):
            try:
                text = raw[: len(raw) - cut].decode(codec)
            except UnicodeDecodeError:
                continue
            if n == len(parts) - 1 or part != "UTF-8" or plausible_utf8(text):
                return text
            break
    return None


def decodes_cleanly(value: bytes, encoding: str) -> bool:
    """Whether ``value`` is valid ``encoding``, allowing one character cut off at the end."""
    return decode_trimmed(value, encoding) is not None


def decode_lenient(raw: bytes, encoding: str) -> str:
    """Decode ``raw``; a character cut off at the end is dropped, and bytes that still do not
    decode show as U+FFFD (never silently as other characters)."""
    text = decode_trimmed(raw, encoding)
    if text is not None:
        return text
    return raw.decode(python_codec(encoding.split(MIXED)[-1]), errors="replace")


def _common_share(texts: list[str], encoding: str) -> float:
    """Share of the non-ASCII characters of ``texts`` that are everyday ones in ``encoding``."""
    chars = [c for text in texts for c in text if not c.isascii()]
    return sum(map(_LEGACY[encoding], chars)) / len(chars) if chars else 1.0


def rank_legacy(samples: list[bytes]) -> list[tuple[str, float]]:
    """The legacy East Asian encodings that decode every sample, best first, each with the
    share of everyday characters it reads them as (text in the wrong one reads as rare ones)."""
    ranked = []
    for encoding in _LEGACY:
        texts = [decode_trimmed(s, encoding) for s in samples]
        if all(t is not None for t in texts):
            ranked.append((encoding, _common_share(texts, encoding)))
    return sorted(ranked, key=lambda item: -item[1])  # stable: ties keep GB18030 first


def shown_name(encoding: str, lang: str = "en") -> str:
    """How an encoding is named to planners ('GBK/GB18030', 'Big5 (traditional Chinese)')."""
    return (_SHOWN_ZH if lang == "zh" else _SHOWN).get(encoding, encoding)


def suspect_values(samples: list[bytes], encoding: str) -> tuple[int, str | None]:
    """How many non-ASCII ``samples`` do not read cleanly in ``encoding`` (they do not decode,
    or decode to rare characters that another encoding reads as everyday ones), and that other
    encoding."""
    count, better = 0, None
    for raw in (s for s in samples if not s.isascii()):
        text = decode_trimmed(raw, encoding)
        if text is None:
            count += 1
            continue
        if MIXED in encoding or (encoding == "UTF-8" and plausible_utf8(text)):
            continue
        share = _common_share([text], encoding) if encoding in _LEGACY else 0.0
        if share < 0.9:
            ranked = rank_legacy([raw])
            if ranked and ranked[0][0] != encoding and ranked[0][1] >= max(0.9, share + 0.2):
                count, better = count + 1, better or ranked[0][0]
    return count, better


def utf8_text(raw: bytes) -> bool:
    """Whether ``raw`` is UTF-8 that reads as plausible text."""
    text = decode_trimmed(raw, "UTF-8")
    return text is not None and plausible_utf8(text)


_HIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def shown_text(text: str) -> str:
    """``text`` as a name may be shown and stored: valid Unicode (``clean_text``), without NUL
    and other control characters (no store keeps a NUL) and without the characters that
    override the direction of what follows (U+202A-U+202E, U+2066-U+2069: "\u202eFDP.exe"
    shows as "exe.PDF")."""
    return _HIDDEN.sub("", clean_text(text))


def clean_text(text: str) -> str:
    """``text`` from the operating system (a file or argument name) as valid Unicode.

    Python keeps bytes that are not UTF-8 as surrogates; they are decoded here as the legacy
    encoding that reads them best, else shown as U+FFFD.
    """
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        raw = text.encode("utf-8", errors="surrogateescape")
    ranked = []
    for encoding in _LEGACY:
        try:
            decoded = raw.decode(python_codec(encoding))
        except UnicodeDecodeError:
            continue
        ranked.append((_common_share([decoded], encoding), decoded))
    best = max(ranked, key=lambda item: item[0], default=(0.0, ""))  # ties: the first (GBK)
    return best[1] if best[0] >= 0.9 else raw.decode("utf-8", errors="replace")
