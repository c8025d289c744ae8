"""Planning discussion: proposals sketched on the map and scenarios that group them.

Proposals and scenarios live in the workspace as ``plans.json`` (geometries as GeoJSON in
EPSG:4326), written atomically under the workspace lock. Measures are taken in EPSG:4549.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from geo.area import m2_to_ha, m2_to_mu
from geo.crs import WGS84, to_metric, to_wgs84
from geo.errors import PlanError
from geo.store import LOCAL, same_person
from geo.uploads.charsets import shown_text
from geo.workspace import Workspace, open_workspace

__all__ = [
    "KINDS",
    "ORIGIN_KINDS",
    "InOthersScenariosError",
    "Plans",
    "ScenarioExistsError",
    "measure",
    "touching",
]

KINDS = ("redevelop", "consumption_scene", "service_district", "green_space", "other")
ORIGIN_KINDS = ("consumption_scene", "service_district")  # they bring walking circles with them
STATUSES = ("identified", "vacating", "vacated", "redeveloping", "completed")
_DOC = "plans.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def measure(geometry) -> dict:
    """Area (m², ha, mu) or length (m) of a WGS84 geometry, measured in EPSG:4549."""
    metric = to_metric(gpd.GeoSeries([geometry], crs=WGS84)).iloc[0]
    area = float(metric.area)
    return {
        "area_m2": round(area, 1),
        "area_ha": round(m2_to_ha(area), 3),
        "area_mu": round(m2_to_mu(area), 2),
        "length_m": round(float(metric.length), 1),
    }


def touching(geometry, layers: Mapping[str, gpd.GeoDataFrame], label: str = "name_zh") -> dict:
    """For each layer, the features a WGS84 geometry intersects (their ``label``, else id)."""
    result = {}
    for name, gdf in layers.items():
        hit = gdf[to_wgs84(gdf).intersects(geometry)]
        column = label if label in hit else "id"
        result[name] = hit[column].astype(str).tolist()
    return result


class ScenarioExistsError(PlanError):
    """A scenario of that name exists already: replacing it must be asked for."""

    def __init__(self, name: str):
        super().__init__(
            f"A scenario named {name!r} exists: replace it or choose another name.",
            f"已有名为 {name!r} 的情景：请替换它或换一个名称。",
        )
        self.name = name


class InOthersScenariosError(PlanError):
    """A proposal to be deleted is in scenarios other planners made: that must be asked for."""

    def __init__(self, scenarios: list[tuple[str, str]]):
        said = ", ".join(f"{name} ({who})" for name, who in scenarios)
        said_zh = "、".join(f"“{name}”（{who}）" for name, who in scenarios)
        super().__init__(
            f"This proposal is in other planners' scenarios: {said}. Deleting it takes it out "
            "of them too; confirm to go on, or ask them first.",
            f"该方案也在其他规划师的情景中：{said_zh}。删除会把它从这些情景中一并移除；"
            "确认后继续，或先与他们商量。",
        )
        self.scenarios = scenarios


class Plans:
    """Proposals and scenarios of one workspace."""

    def __init__(self, workspace: Workspace | None = None, actor: str = LOCAL):
        """The plans of ``workspace`` as changed by ``actor`` (the signed-in identity): an
        editor adds proposals and scenarios and changes those they made; an admin, any."""
        self.workspace = workspace or open_workspace()
        self.actor = actor

    def _may(self, owner: object = None, *, own: bool = False) -> None:
        """NotAllowedError unless the actor is an editor (and, with ``own``, made the item
        whose ``created_by`` is ``owner``) or an admin."""
        if own:
            self.workspace.require(self.actor, "editor", owner)
        else:
            self.workspace.require(self.actor, "editor")

    def _update(self, change) -> object:
        """``change(doc, log)`` on the plans document, with the history events it logs
        (``log(action, target, before, after)``) recorded in the same step."""
        events: list = []

        def log(action: str, target: str, before=None, after=None) -> None:
            events.append((self.actor, action, target, before, after))

        return self.workspace.update_document(_DOC, lambda doc: change(doc, log), events=events)

    def _trash(self, doc: dict, kind: str, item: dict, **extra: object) -> None:
        doc.setdefault("trash", []).append({"kind": kind, "item": item, "removed_by": self.actor,
                                            "removed_at": _now(), **extra})  # fmt: skip

    @staticmethod
    def _untrash(doc: dict, kind: str, key: str, value: str) -> None:
        doc["trash"] = [t for t in doc.get("trash", [])
                        if not (t["kind"] == kind and t["item"].get(key) == value)]  # fmt: skip

    @staticmethod
    def _untrash_one(doc: dict, kind: str, key: str, value: str) -> None:
        """Take the latest entry of ``kind`` whose item's ``key`` is ``value`` off the trash
        (a scenario saved over twice is there twice)."""
        trash = doc.get("trash", [])
        for i in range(len(trash) - 1, -1, -1):
            if trash[i]["kind"] == kind and trash[i]["item"].get(key) == value:
                del trash[i]
                return

    def trash(self) -> list[dict]:
        """Deleted proposals and scenarios: kind, the item, who removed it and when."""
        return self.workspace.read_document(_DOC).get("trash", [])

    def restore(self, key: str) -> str:
        """Bring a deleted proposal (by id) or scenario (by name) back from the trash; returns
        'proposal' or 'scenario'. PlanError if the trash holds neither."""
        for entry in reversed(self.trash()):
            if entry["kind"] == "proposal" and entry["item"]["id"] == key:
                self.restore_proposal(entry["item"], entry.get("scenarios", []))
                return "proposal"
            if entry["kind"] == "scenario" and entry["item"]["name"] == key:
                self.restore_scenario(entry["item"])
                return "scenario"
        raise PlanError(f"No proposal or scenario {key!r} in the trash.",
                        f"回收站中没有方案或情景 {key!r}。")  # fmt: skip

    def _doc(self) -> dict:
        doc = self.workspace.read_document(_DOC)
        return {"proposals": doc.get("proposals", []), "scenarios": doc.get("scenarios", [])}

    def proposals(self) -> gpd.GeoDataFrame:
        """Every proposal, EPSG:4326, oldest first."""
        items = self._doc()["proposals"]
        columns = [
            "id",
            "title",
            "kind",
            "comment",
            "author",
            "created_by",
            "created",
            "updated",
            "far",
        ]
        if not items:
            return gpd.GeoDataFrame(columns=[*columns, "geometry"], geometry="geometry", crs=WGS84)
        frame = pd.DataFrame([{k: p.get(k) for k in columns} for p in items])
        frame["far"] = pd.to_numeric(frame["far"], errors="coerce")
        return gpd.GeoDataFrame(frame, geometry=[shape(p["geometry"]) for p in items], crs=WGS84)

    @staticmethod
    def _check_far(far: float | None) -> None:
        if far is not None and not 0 <= far <= 30:
            raise PlanError(
                f"A FAR (floor area ratio) of {far} is not between 0 and 30.",
                f"容积率（FAR）{far} 不在 0 到 30 之间。",
            )

    @staticmethod
    def _check(title: str, kind: str, geometry=None) -> None:
        if not title.strip():
            raise PlanError("A proposal needs a title.", "方案需要标题。")
        if kind not in KINDS:
            raise PlanError(
                f"Kind {kind!r} is not one of {', '.join(KINDS)}.",
                f"类型 {kind!r} 不在 {'、'.join(KINDS)} 之中。",
            )
        if geometry is not None and (geometry.is_empty or not shapely.is_valid(geometry)):
            raise PlanError(
                "The drawn shape is empty or crosses itself: draw it again.",
                "所绘图形为空或自相交，请重新绘制。",
            )

    def add_proposal(self, geometry, *, title: str, kind: str, comment: str = "",
                     author: str = "", far: float | None = None) -> str:  # fmt: skip
        """Save a proposal drawn in WGS84 lon/lat, with its planned FAR (floor area ratio) if
        it builds; returns its id."""
        title = shown_text(title)
        self._check(title, kind, geometry)
        self._check_far(far)
        self._may()
        proposal_id = f"p-{secrets.token_hex(4)}"
        item = {"id": proposal_id, "title": title.strip(), "kind": kind, "comment": comment,
                "author": author or self.actor, "created_by": self.actor, "far": far,
                "created": _now(), "updated": _now(), "geometry": mapping(geometry)}  # fmt: skip

        def add(doc: dict, log) -> None:
            _unique_title(doc, item["title"])
            doc.setdefault("proposals", []).append(item)
            log("proposal_create", proposal_id, None, _brief(item))

        self._update(add)
        return proposal_id

    def edit_proposal(self, proposal_id: str, **fields: str | float | None) -> None:
        """Change a proposal's title, kind, comment, author (the typed name shown; the identity
        that made it stays in ``created_by``) or FAR."""
        allowed = {"title", "kind", "comment", "author", "far"}
        if "title" in fields:
            fields["title"] = shown_text(str(fields["title"]))
        self._check_far(fields.get("far"))
        if set(fields) - allowed:
            raise PlanError(
                f"Only {', '.join(sorted(allowed))} can be edited.",
                f"只能修改 {'、'.join(sorted(allowed))}。",
            )

        def edit(doc: dict, log) -> None:
            item = next((p for p in doc.get("proposals", []) if p["id"] == proposal_id), None)
            if item is None:
                raise PlanError(f"No proposal {proposal_id!r}.", f"没有方案 {proposal_id!r}。")
            self._may(item.get("created_by"), own=True)
            merged = {**item, **fields}
            self._check(merged["title"], merged["kind"])
            if "title" in fields:
                fields["title"] = str(fields["title"]).strip()
                _unique_title(doc, fields["title"], proposal_id)
            before = _brief(item)
            item.update(fields, updated=_now())
            log("proposal_edit", proposal_id, before, _brief(item))

        self._update(edit)

    def delete_proposal(self, proposal_id: str, *, others_too: bool = False
                        ) -> tuple[dict, list[str]]:  # fmt: skip
        """Delete a proposal and take it out of every scenario; returns the proposal and the
        names of the scenarios it was in (what ``restore_proposal`` needs to undo it). If it
        is in scenarios other planners made, InOthersScenariosError unless ``others_too``."""

        def delete(doc: dict, log) -> tuple[dict, list[str]]:
            item = next((p for p in doc.get("proposals", []) if p["id"] == proposal_id), None)
            if item is None:
                raise PlanError(f"No proposal {proposal_id!r}.", f"没有方案 {proposal_id!r}。")
            self._may(item.get("created_by"), own=True)
            others = [(s["name"], s.get("created_by") or "?") for s in doc.get("scenarios", [])
                      if proposal_id in s["proposals"]
                      and not same_person(s.get("created_by"), self.actor)]  # fmt: skip
            if others and not others_too:
                raise InOthersScenariosError(others)
            doc["proposals"] = [p for p in doc["proposals"] if p["id"] != proposal_id]
            touched = []
            for scenario in doc.get("scenarios", []):
                if proposal_id in scenario["proposals"]:
                    scenario["proposals"] = [i for i in scenario["proposals"] if i != proposal_id]
                    touched.append(scenario["name"])
            self._trash(doc, "proposal", item, scenarios=touched)
            log("proposal_delete", proposal_id, _brief(item), None)
            return item, touched

        return self._update(delete)

    def restore_proposal(self, item: dict, scenarios: list[str]) -> None:
        """Put a deleted proposal back, into those of ``scenarios`` that still exist."""

        def restore(doc: dict, log) -> None:
            self._may(item.get("created_by"), own=True)
            if any(p["id"] == item["id"] for p in doc.get("proposals", [])):
                return
            item["title"] = _free_title(doc, item["title"])  # one made since has its title
            doc.setdefault("proposals", []).append(item)
            self._untrash(doc, "proposal", "id", item["id"])
            log("proposal_restore", item["id"], None, _brief(item))
            for scenario in doc.get("scenarios", []):
                if scenario["name"] in scenarios and item["id"] not in scenario["proposals"]:
                    scenario["proposals"].append(item["id"])

        self._update(restore)

    def scenarios(self) -> list[dict]:
        """Every scenario: name, proposal ids, parcel status changes {parcel id: status}."""
        return self._doc()["scenarios"]

    def scenario(self, name: str) -> dict:
        """One scenario by name."""
        found = next((s for s in self.scenarios() if s["name"] == name), None)
        if found is None:
            known = ", ".join(s["name"] for s in self.scenarios()) or "none yet"
            raise PlanError(
                f"No scenario {name!r}. Scenarios: {known}", f"没有情景 {name!r}。现有情景：{known}"
            )
        return found

    def save_scenario(
        self,
        name: str,
        proposals: list[str],
        status_changes: dict[str, str],
        *,
        replace: bool = False,
    ) -> None:
        """Create a scenario; one of the same name is replaced only when ``replace`` is true
        (else ScenarioExistsError)."""
        name = shown_text(name)
        if not name.strip():
            raise PlanError("A scenario needs a name.", "情景需要名称。")
        bad = sorted(set(status_changes.values()) - set(STATUSES))
        if bad:
            raise PlanError(
                f"Unknown parcel status {bad}; use {', '.join(STATUSES)}.",
                f"未知的地块状态 {bad}；可用：{'、'.join(STATUSES)}。",
            )

        def save(doc: dict, log) -> None:
            known = {p["id"] for p in doc.get("proposals", [])}
            missing = sorted(set(proposals) - known)
            if missing:
                raise PlanError(f"No proposals {missing}.", f"没有这些方案：{missing}。")
            others = [s for s in doc.get("scenarios", []) if s["name"] != name.strip()]
            old = [s for s in doc.get("scenarios", []) if s["name"] == name.strip()]
            if old and not replace:
                raise ScenarioExistsError(name.strip())
            self._may(old[0].get("created_by"), own=True) if old else self._may()
            new = {"name": name.strip(), "proposals": list(proposals),
                   "status_changes": dict(status_changes), "created_by": self.actor,
                   "updated": _now()}  # fmt: skip
            doc["scenarios"] = [*others, new]
            if old:  # the version saved over, kept until the trash is emptied
                self._trash(doc, "scenario", old[0], replaced=True)
            log("scenario_save", new["name"], _brief(old[0]) if old else None, _brief(new))

        self._update(save)

    def delete_scenario(self, name: str) -> dict:
        """Delete a scenario (its proposals stay); returns it, for ``restore_scenario``."""

        def delete(doc: dict, log) -> dict:
            found = next((s for s in doc.get("scenarios", []) if s["name"] == name), None)
            if found is None:
                raise PlanError(f"No scenario {name!r}.", f"没有情景 {name!r}。")
            self._may(found.get("created_by"), own=True)
            doc["scenarios"] = [s for s in doc["scenarios"] if s["name"] != name]
            self._trash(doc, "scenario", found)
            log("scenario_delete", name, _brief(found), None)
            return found

        return self._update(delete)

    def restore_scenario(self, scenario: dict) -> str:
        """Put a deleted (or saved-over) scenario back, under its name or, where that is taken
        meanwhile, the first free ``name (2)``, ``name (3)`` ...; proposals deleted since are
        left out. Returns the name it has."""

        def restore(doc: dict, log) -> str:
            self._may(scenario.get("created_by"), own=True)
            taken = {s["name"] for s in doc.get("scenarios", [])}
            name = _first_free(scenario["name"], taken.__contains__, len(taken))
            known = {p["id"] for p in doc.get("proposals", [])}
            kept = {**scenario, "name": name,
                    "proposals": [i for i in scenario["proposals"] if i in known]}  # fmt: skip
            doc.setdefault("scenarios", []).append(kept)
            self._untrash_one(doc, "scenario", "name", scenario["name"])
            log("scenario_restore", name, None, _brief(kept))
            return name

        return self._update(restore)

    def empty_trash(self) -> list[tuple[str, str]]:
        """Delete the deleted and saved-over proposals and scenarios for good (admins only,
        as the layers' trash); their (kind, id or name)."""
        self.workspace.require(self.actor, "admin")

        def purge(doc: dict, log) -> list[tuple[str, str]]:
            gone = []
            for entry in doc.pop("trash", []):
                key = entry["item"]["id"] if entry["kind"] == "proposal" else entry["item"]["name"]
                log(f"{entry['kind']}_purge", key, _brief(entry["item"]), None)
                gone.append((entry["kind"], key))
            return gone

        return self._update(purge)

    def rename_scenario(self, name: str, new: str, *, copy: bool = False) -> None:
        """Rename a scenario, or with ``copy`` duplicate it under ``new`` (ScenarioExistsError if
        ``new`` is taken)."""
        new = shown_text(new)
        if not new.strip():
            raise PlanError("A scenario needs a name.", "情景需要名称。")

        def rename(doc: dict, log) -> None:
            found = next((s for s in doc.get("scenarios", []) if s["name"] == name), None)
            if found is None:
                raise PlanError(f"No scenario {name!r}.", f"没有情景 {name!r}。")
            if any(s["name"] == new.strip() for s in doc["scenarios"]):
                raise ScenarioExistsError(new.strip())
            self._may() if copy else self._may(found.get("created_by"), own=True)
            if copy:
                doc["scenarios"].append({**found, "name": new.strip(), "created_by": self.actor,
                                         "updated": _now()})  # fmt: skip
            else:
                found.update(name=new.strip(), updated=_now())
            log("scenario_copy" if copy else "scenario_rename", name, {"name": name},
                {"name": new.strip()})  # fmt: skip

        self._update(rename)


def _unique_title(doc: dict, title: str, own_id: str | None = None) -> None:
    """PlanError if another proposal already has ``title`` (a scenario's list and the map
    name proposals by their titles, so two of one title could not be told apart)."""
    key = " ".join(title.split()).casefold()
    for other in doc.get("proposals", []):
        if other["id"] != own_id and " ".join(other["title"].split()).casefold() == key:
            raise PlanError(
                f"A proposal titled {title!r} exists already: give this one another title "
                "(e.g. add the place or a number).",
                f"已有标题为“{title}”的方案：请换一个标题（例如加上地点或编号）。",
            )


def _first_free(name: str, taken: Callable[[str], bool], others: int) -> str:
    """``name``, or ``name (2)``, ``name (3)`` ... the first that is not ``taken`` (one of the
    first ``others`` + 1 is free when there are ``others`` names)."""
    for n in range(1, others + 2):
        candidate = name if n == 1 else f"{name} ({n})"
        if not taken(candidate):
            return candidate
    return name


def _free_title(doc: dict, title: str) -> str:
    """``title``, or ``title (2)``, ``title (3)`` ... the first no other proposal has."""

    def taken(candidate: str) -> bool:
        try:
            _unique_title(doc, candidate)
        except PlanError:
            return True
        return False

    return _first_free(title, taken, len(doc.get("proposals", [])))


def _brief(item: dict) -> dict:
    """What the history keeps of a proposal or scenario."""
    keys = ("title", "kind", "comment", "far", "name", "proposals", "status_changes")
    return {k: item[k] for k in keys if item.get(k) not in (None, "")}
