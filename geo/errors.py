"""Domain exceptions of the atlas; every message says what to do next."""

from __future__ import annotations

__all__ = ["CrsError", "DataError", "IngestError", "SipAtlasError", "WorkspaceError"]


class SipAtlasError(Exception):
    """Base class of every error the atlas raises on purpose."""


class CrsError(SipAtlasError, ValueError):
    """A coordinate reference system is missing, unknown or unfit for the operation."""


class DataError(SipAtlasError, ValueError):
    """A layer's data breaks the registry's schema or geometry rules."""


class IngestError(SipAtlasError, ValueError):
    """An uploaded file cannot be read; carries the message in English and Chinese.

    ``str(error)`` is the English message; ``error.message(lang)`` picks a language.
    """

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en = en
        self.zh = zh

    def message(self, lang: str) -> str:
        """The message in ``lang`` ('zh' or 'en')."""
        return self.zh if lang == "zh" else self.en


class WorkspaceError(SipAtlasError):
    """The workspace store cannot do what was asked (unknown layer, unwritable folder ...)."""
