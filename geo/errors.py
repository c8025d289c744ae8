"""Domain exceptions of the atlas; every message says what to do next."""

from __future__ import annotations

__all__ = [
    "BilingualError",
    "CrsError",
    "DataError",
    "IngestError",
    "PlanError",
    "SipAtlasError",
    "WorkspaceError",
    "message_of",
]


class SipAtlasError(Exception):
    """Base class of every error the atlas raises on purpose."""


class CrsError(SipAtlasError, ValueError):
    """A coordinate reference system is missing, unknown or unfit for the operation."""


class DataError(SipAtlasError, ValueError):
    """A layer's data breaks the registry's schema or geometry rules."""


class BilingualError(SipAtlasError):
    """An error whose message a planner reads, in English and Chinese.

    ``str(error)`` is the English message; ``error.message(lang)`` picks a language.
    """

    def __init__(self, en: str, zh: str):
        super().__init__(en)
        self.en = en
        self.zh = zh

    def message(self, lang: str) -> str:
        """The message in ``lang`` ('zh' or 'en')."""
        return self.zh if lang == "zh" else self.en


class IngestError(BilingualError, ValueError):
    """An uploaded file cannot be read."""


class PlanError(BilingualError, ValueError):
    """A proposal or scenario cannot be saved, changed or found as asked."""


def message_of(error: Exception, lang: str) -> str:
    """The message of ``error`` in ``lang`` where it has one in both languages."""
    return error.message(lang) if isinstance(error, BilingualError) else str(error)


class WorkspaceError(SipAtlasError):
    """The workspace store cannot do what was asked (unknown layer, unwritable folder ...)."""
