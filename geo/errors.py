"""Domain exceptions of the atlas; every message says what to do next."""

from __future__ import annotations

__all__ = [
    "BilingualError",
    "CrsError",
    "DataError",
    "IngestError",
    "NotAllowedError",
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

    ``str(error)`` is the English message and its ``detail`` (the underlying error's text,
    which may name a server or a path: the command line shows it, a team server's page does
    not); ``error.message(lang)`` picks a language, ``error.message(lang, detail=True)`` adds it.
    """

    def __init__(self, en: str, zh: str, detail: str | None = None):
        super().__init__(en if detail is None else f"{en} ({detail})")
        self.en = en
        self.zh = zh
        self.detail = detail

    def message(self, lang: str, *, detail: bool = False) -> str:
        """The message in ``lang`` ('zh' or 'en'), with the detail if asked for."""
        said = self.zh if lang == "zh" else self.en
        return f"{said}（{self.detail}）" if detail and self.detail else said


class IngestError(BilingualError, ValueError):
    """An uploaded file cannot be read."""


class PlanError(BilingualError, ValueError):
    """A proposal or scenario cannot be saved, changed or found as asked."""


def message_of(error: Exception, lang: str, *, detail: bool = True) -> str:
    """The message of ``error`` in ``lang`` where it has one in both languages, with its detail
    unless ``detail`` is False."""
    if isinstance(error, BilingualError):
        return error.message(lang, detail=detail)
    return str(error)


class WorkspaceError(BilingualError):
    """The workspace store cannot do what was asked (unknown layer, unwritable folder ...);
    the class methods are the messages both stores give."""

    @classmethod
    def unwritable(cls, where: object, exc: Exception) -> WorkspaceError:
        """The workspace folder ``where`` cannot be created or locked."""
        return cls(f"The workspace {where} cannot be written. Set SIP_ATLAS_WORKSPACE.",
                   f"工作区 {where} 无法写入，请用 SIP_ATLAS_WORKSPACE 指定可写的文件夹。",
                   str(exc))  # fmt: skip

    @classmethod
    def unreachable(cls, exc: Exception) -> WorkspaceError:
        """The workspace database does not answer."""
        return cls("The workspace database cannot be reached. Start PostgreSQL or "
                   "unset SIP_ATLAS_DATABASE_URL to use the folder workspace.",
                   "无法连接工作区数据库。请启动 PostgreSQL，或取消 "
                   "SIP_ATLAS_DATABASE_URL 改用文件夹工作区。", str(exc).strip())  # fmt: skip

    @classmethod
    def damaged(cls, path: object, exc: Exception) -> WorkspaceError:
        """A workspace file cannot be read."""
        return cls(f"{path} is damaged; restore it from a backup.",
                   f"{path} 已损坏，请从备份恢复。", str(exc))  # fmt: skip

    @classmethod
    def no_layer(cls, layer_id: str, where: str = "") -> WorkspaceError:
        """No saved upload has the id ``layer_id``."""
        return cls(f"No uploaded layer {layer_id!r}{f' in {where}' if where else ''}. "
                   "See `sip-atlas layers`.",
                   f"工作区中没有图层 {layer_id!r}，可用 `sip-atlas layers` 查看。")  # fmt: skip

    @classmethod
    def no_original(cls, name: str, layer_id: str) -> WorkspaceError:
        """The upload ``layer_id`` has no original file ``name``."""
        return cls(f"No original {name!r} of {layer_id!r}.",
                   f"图层 {layer_id!r} 没有原始文件 {name!r}。")  # fmt: skip

    @classmethod
    def not_saved(cls, exc: Exception) -> WorkspaceError:
        """Saving failed and nothing was changed."""
        return cls("The layer could not be saved; the workspace is unchanged.",
                   "图层未能保存，工作区未作改动。", str(exc))  # fmt: skip

    @classmethod
    def not_in_trash(cls, layer_id: str) -> WorkspaceError:
        """``layer_id`` is not in the trash (never removed, or the trash was emptied)."""
        return cls(f"No layer {layer_id!r} in the trash. See `sip-atlas trash`.",
                   f"回收站中没有图层 {layer_id!r}，可用 `sip-atlas trash` 查看。")  # fmt: skip

    @classmethod
    def last_admin(cls, email: str) -> WorkspaceError:
        """Removing ``email`` or giving them a lesser role would leave no administrator."""
        return cls(f"{email} is the last administrator: name another administrator first "
                   "(sip-atlas users set-role EMAIL admin); the roles are unchanged.",
                   f"{email} 是最后一位管理员：请先指定另一位管理员（sip-atlas users set-role "
                   "EMAIL admin），角色未作改动。")  # fmt: skip

    @classmethod
    def empty_name(cls) -> WorkspaceError:
        """A layer was to be named with nothing."""
        return cls("A layer name cannot be empty.", "图层名称不能为空。")


class NotAllowedError(BilingualError):
    """The signed-in planner's role does not allow this (checked by the store itself)."""

    def __init__(self, actor: str, what_en: str, what_zh: str):
        super().__init__(
            f"{actor} may not {what_en}. Ask an administrator for the role (sip-atlas users).",
            f"{actor} 无权{what_zh}。请联系管理员分配角色（sip-atlas users）。",
        )
