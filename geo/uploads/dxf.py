"""Read an AutoCAD drawing (DXF) as parcels: closed shapes become polygons, texts inside them
their attributes.

ezdxf (MIT) parses the drawing. It decodes text as the drawing's version says (R2007 and later
UTF-8; older drawings by ``$DWGCODEPAGE``, e.g. ANSI_936 = GBK) and turns polylines with bulges
(arcs), circles and hatch boundaries into paths, flattened here to 5 cm. GDAL's DXF driver reads
closed polylines as lines and decodes a UTF-8 drawing whose code page says otherwise wrongly.

Units: a northing of 2,000-6,000 km is metres; the same in thousands is millimetres (whatever
``$INSUNITS`` says: AutoCAD's Chinese template says millimetres for drawings made in metres);
otherwise (a local drawing) the header's unit. The CRS is then decided from the coordinates as
for a shapefile (EPSG:4549, or EPSG:4528 with the zone number 40 before the easting).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, Polygon

from geo.crs import guess_crs_from_bounds
from geo.errors import IngestError
from geo.uploads.dxf_texts import LAND_USE, PARCEL_ID, TEXT_KINDS, drawing_texts, place_texts
from geo.uploads.report import Warnings

__all__ = ["APP_ID", "CadLayer", "cad_layers", "default_layers", "read_dxf", "refuse_dwg"]

APP_ID = "SIP_ATLAS"  # the XDATA the atlas' own DXF export writes: each feature's columns
FLATTEN_M = 0.05  # arcs become chords at most this far from the arc (metres)
MAX_SIZE_M = 50_000.0  # a shape wider than this is no parcel of the park: left out, said
CAD_LAYER, CAD_ENTITY = "图层", "图元"
_UNITS = {1: ("inch", 0.0254), 2: ("foot", 0.3048), 4: ("mm", 0.001), 5: ("cm", 0.01),
          6: ("m", 1.0), 7: ("km", 1000.0)}  # fmt: skip
_CLOSABLE = {"LWPOLYLINE", "POLYLINE", "SPLINE"}
_CURVES = {"LWPOLYLINE", "POLYLINE", "SPLINE", "CIRCLE", "ELLIPSE", "LINE", "ARC"}
_KIND_ZH = {"polyline": "多段线", "hatch": "填充", "circle": "圆", "line": "线"}


@dataclass(frozen=True)
class CadLayer:
    """One layer of a drawing and what its model space holds there."""

    name: str
    closed: int = 0  # closed polylines, circles, closed splines
    hatches: int = 0
    open: int = 0  # open polylines, lines, arcs
    texts: int = 0  # TEXT, MTEXT and block references with attributes
    other: int = 0

    @property
    def shapes(self) -> int:
        """Entities that can become parcels."""
        return self.closed + self.hatches

    def counts(self, lang: str = "zh") -> str:
        """What the layer holds, e.g. '32 closed polylines, 5 hatches, 40 texts'."""
        words = (("closed", "closed shape", "闭合图形"), ("hatches", "hatch", "填充"),
                 ("open", "open line", "开放线"), ("texts", "text", "文字"),
                 ("other", "other", "其他"))  # fmt: skip
        if lang != "en":
            return "、".join(f"{zh} {getattr(self, k)}" for k, _, zh in words if getattr(self, k))
        plural = {"hatch": "hatches", "other": "other"}
        said = [(getattr(self, k), en if getattr(self, k) == 1 else plural.get(en, en + "s"))
                for k, en, _ in words]  # fmt: skip
        return ", ".join(f"{n} {w}" for n, w in said if n)


def refuse_dwg(name: str) -> IngestError:
    """The message for a DWG drawing: how to save it as DXF."""
    return IngestError(
        f"{name} is an AutoCAD DWG drawing, which the atlas cannot read (no DWG reader is "
        "free to install). In AutoCAD: Save As → Files of type 'AutoCAD 2000/LT2000 DXF "
        "(*.dxf)' or a later DXF, then upload the .dxf. Without AutoCAD, the free ODA File "
        "Converter turns DWG into DXF.",
        f"{name} 是 AutoCAD 的 DWG 图纸，图集无法直接读取（没有可安装的免费 DWG 读取程序）。"
        "请在 AutoCAD 中「另存为」，文件类型选「AutoCAD 2000/LT2000 DXF (*.dxf)」或更新版本的 "
        "DXF，再上传 .dxf 文件。没有 AutoCAD 时，可用免费的 ODA File Converter 将 DWG 转为 DXF。",
    )


@lru_cache(maxsize=2)
def _drawing_at(path: str, _stamp: tuple[int, int]):
    import ezdxf
    from ezdxf import recover

    with open(path, "rb") as fh:
        if fh.read(4) == b"AC10":  # a DWG renamed .dxf
            raise refuse_dwg(Path(path).name)
    try:
        doc, _ = recover.readfile(path)
        if _gbk_undeclared(Path(path), doc):
            doc = ezdxf.readfile(path, encoding="gbk")
            doc.header["$DWGCODEPAGE"] = f"{doc.header.get('$DWGCODEPAGE', '')} (GBK by its bytes)"
    except (ezdxf.DXFError, OSError, ValueError, UnicodeError) as exc:
        name = Path(path).name
        raise IngestError(
            f"{name} cannot be read as a DXF drawing ({str(exc)[:160]}). Save it again from "
            "AutoCAD as DXF (Save As → DXF).",
            f"{name} 无法作为 DXF 图纸读取（{str(exc)[:160]}）。请在 AutoCAD 中重新另存为 DXF。",
        ) from exc
    return doc


def _gbk_undeclared(path: Path, doc) -> bool:
    """Whether an older drawing (before R2007: text in its code page) holds GBK text while its
    ``$DWGCODEPAGE`` names another code page (as drawings passed through other tools do)."""
    if doc.dxfversion >= "AC1021" or str(doc.encoding).lower() in ("cp936", "gbk", "gb2312"):
        return False
    lines = [b for b in path.read_bytes().splitlines() if max(b, default=0) >= 0x80]
    if not lines or len(lines) > 200_000:
        return False
    try:
        text = b"\n".join(lines).decode("gb18030")
    except UnicodeDecodeError:
        return False
    return sum("\u4e00" <= c <= "\u9fff" for c in text) >= len(lines)


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def _drawing(path: Path):
    """The parsed drawing, kept for the last two files (listing then reading parses once)."""
    return _drawing_at(str(path), _stamp(path))


def _is_closed(entity) -> bool:
    kind = entity.dxftype()
    if kind == "LWPOLYLINE":
        return bool(entity.closed)
    if kind == "POLYLINE":
        return bool(entity.is_closed)
    if kind == "SPLINE":
        return bool(entity.closed)
    if kind == "ELLIPSE":
        return abs(abs(entity.dxf.end_param - entity.dxf.start_param) - 2 * np.pi) < 1e-9
    return kind == "CIRCLE"


def _has_text(entity) -> bool:
    return entity.dxftype() != "INSERT" or bool(len(entity.attribs))


def cad_layers(path: Path) -> list[CadLayer]:
    """Each layer of the drawing's model space with what it holds, by name (counted once a
    drawing: the upload panel asks on every rerun)."""
    return list(_layers_at(str(path), _stamp(path)))


@lru_cache(maxsize=2)
def _layers_at(path: str, stamp: tuple[int, int]) -> tuple[CadLayer, ...]:
    counts: dict[str, dict[str, int]] = {}
    for entity in _drawing_at(path, stamp).modelspace():
        kind = entity.dxftype()
        slot = counts.setdefault(entity.dxf.layer, {})
        if kind == "HATCH":
            key = "hatches"
        elif kind in _CURVES:
            key = "closed" if _is_closed(entity) else "open"
        elif kind in TEXT_KINDS and _has_text(entity):
            key = "texts"
        else:
            key = "other"
        slot[key] = slot.get(key, 0) + 1
    return tuple(CadLayer(name, **slot) for name, slot in sorted(counts.items()))


def default_layers(layers: list[CadLayer]) -> list[str]:
    """The layers read when the planner has not picked: those with closed shapes, else those
    with lines (a road drawing)."""
    return [c.name for c in layers if c.shapes] or [c.name for c in layers if c.open]


def _unit(header: int, bounds: np.ndarray) -> tuple[float, str, str]:
    """(metres per drawing unit, the unit's name, why) from the coordinates, else the header."""
    if guess_crs_from_bounds(*bounds) is not None:
        return 1.0, "m", "coordinates"
    if guess_crs_from_bounds(*(bounds * 0.001)) is not None:
        return 0.001, "mm", "coordinates"
    name, scale = _UNITS.get(header, ("m", 1.0))
    return scale, name, "header" if header in _UNITS else "default"


def _xdata(entity) -> dict | None:
    """The atlas' own record of a feature (its export writes it), or None."""
    if not entity.has_xdata(APP_ID):
        return None
    text = "".join(str(v) for code, v in entity.get_xdata(APP_ID) if code == 1000)
    try:
        record = json.loads(text)
    except ValueError:
        return None
    return record if isinstance(record, dict) else None


def _path_points(entity, distance: float) -> list[tuple[float, float]]:
    from ezdxf import path

    return [(v.x, v.y) for v in path.make_path(entity).flattening(distance)]


def _hatch_polygon(entity, distance: float) -> Polygon | None:
    """A hatch's boundary loops as one polygon, holes by the even-odd rule."""
    from ezdxf import path

    rings = [Polygon([(v.x, v.y) for v in p.flattening(distance)])
             for p in path.from_hatch(entity)]  # fmt: skip
    rings = [shapely.make_valid(r) for r in rings if len(r.exterior.coords) >= 4]
    if not rings:
        return None
    shape = rings[0]
    for ring in rings[1:]:
        shape = shape.symmetric_difference(ring)
    return shape


@dataclass
class _Shapes:
    geometry: list = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    records: list[dict | None] = field(default_factory=list)
    open: list[float] = field(default_factory=list)  # the gaps of open polylines (metres)
    closed_by_gap: int = 0
    too_large: int = 0  # shapes over MAX_SIZE_M across: not parcels (and costly to flatten)


def _chosen_entities(doc, chosen: set[str]) -> list:
    return [e for e in doc.modelspace()
            if e.dxf.layer in chosen and e.dxftype() in _CURVES | {"HATCH"}]  # fmt: skip


def _too_large(entity, scale: float, boxes) -> bool:
    from ezdxf import bbox

    box = bbox.extents([entity], fast=True, cache=boxes)
    return box.has_data and max(box.size.x, box.size.y) * scale > MAX_SIZE_M


def _collect(entities: list, scale: float, gap_m: float, lines: bool, boxes) -> _Shapes:
    """The ``entities``' shapes in drawing units: polygons (or lines, for a road drawing);
    ``boxes`` is the ezdxf bounding-box cache their extents were measured with."""
    distance = FLATTEN_M / scale
    out = _Shapes()
    for entity in entities:
        kind, layer = entity.dxftype(), entity.dxf.layer
        if _too_large(entity, scale, boxes):
            out.too_large += 1
            continue
        try:
            if kind == "HATCH":
                shape, name = (None if lines else _hatch_polygon(entity, distance)), "hatch"
            else:
                points = _path_points(entity, distance)
                name = "circle" if kind in ("CIRCLE", "ELLIPSE") else "polyline"
                if lines:
                    shape, name = LineString(points) if len(points) > 1 else None, "line"
                elif _is_closed(entity):
                    shape = Polygon(points) if len(points) >= 3 else None
                elif kind in _CLOSABLE and len(points) >= 3:
                    gap = float(np.hypot(*np.subtract(points[0], points[-1]))) * scale
                    shape = Polygon(points) if gap <= max(gap_m, 0.001) else None
                    out.closed_by_gap += shape is not None and gap > 0.001
                    if shape is None:
                        out.open.append(gap)
                else:
                    shape = None
        except (ValueError, ZeroDivisionError, shapely.errors.GEOSException):
            shape = None
        if shape is None:
            continue
        out.geometry.append(shape)
        out.rows.append({CAD_LAYER: layer, CAD_ENTITY: _KIND_ZH[name]})
        out.records.append(_xdata(entity))
    return out


def _from_records(shapes: _Shapes, geometry: np.ndarray) -> gpd.GeoDataFrame:
    """The atlas' own export read back: rings (``geometry``, in metres) grouped into their
    features (holes cut out), the columns from each feature's record."""
    parts: dict[int, dict] = {}
    for shape, record in zip(geometry, shapes.records, strict=True):
        if record is None or "feature" not in record:
            continue
        slot = parts.setdefault(int(record["feature"]), {"outer": [], "holes": [], "row": {}})
        slot["holes" if record.get("hole") else "outer"].append(shape)
        slot["row"].update(record.get("columns") or {})
    features, rows = [], []
    for n in sorted(parts):
        outer = shapely.union_all(parts[n]["outer"])
        holes = parts[n]["holes"]
        features.append(outer.difference(shapely.union_all(holes)) if holes else outer)
        rows.append(parts[n]["row"])
    return gpd.GeoDataFrame(rows, geometry=features)


def _merge_hatches(gdf: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, int]:
    """A hatch that fills a parcel drawn as a polyline too is the same parcel: kept once."""
    hatch = (gdf[CAD_ENTITY] == _KIND_ZH["hatch"]).to_numpy()
    if not hatch.any() or hatch.all():
        return gdf, 0
    outlines = gdf[~hatch]
    left, right = outlines.sindex.query(gdf.geometry[hatch], predicate="intersects")
    hatch_rows = np.flatnonzero(hatch)
    same = set()
    for h, o in zip(left.tolist(), right.tolist(), strict=True):
        a, b = gdf.geometry.iat[hatch_rows[h]], outlines.geometry.iat[o]
        if a.symmetric_difference(b).area <= 0.005 * max(b.area, 1e-9):
            same.add(hatch_rows[h])
    return gdf.drop(index=gdf.index[sorted(same)]).reset_index(drop=True), len(same)


def read_dxf(
    path: Path, layers: list[str] | None, close_gaps_m: float, warnings: Warnings
) -> tuple[gpd.GeoDataFrame, dict]:
    """The drawing's parcels (or lines) on ``layers`` (None: ``default_layers``) in metres, no
    CRS set, and what was decided: {'layers', 'chosen', 'unit', 'unit_how', 'texts', ...}.

    An open polyline whose ends are at most ``close_gaps_m`` metres apart is closed.
    """
    doc, listed = _drawing(path), cad_layers(path)
    names = [c.name for c in listed]
    chosen = list(layers) if layers else default_layers(listed)
    unknown = [n for n in chosen if n not in names]
    if not chosen:
        raise IngestError(
            f"{path.name} holds no closed shapes, hatches or lines in its model space (the DXF "
            "may be damaged, or the parcels drawn in a layout or a block). Save it again from "
            "AutoCAD as DXF with the parcels in model space.",
            f"{path.name} 的模型空间中没有闭合图形、填充或线（DXF 可能已损坏，或地块画在布局或"
            "图块中）。请在 AutoCAD 中把地块放在模型空间后重新另存为 DXF。",
        )
    if unknown:
        missing = repr(unknown[0])
        said_en = "; ".join(f"{c.name} ({c.counts('en')})" for c in listed) or "none"
        said_zh = "；".join(f"{c.name}（{c.counts()}）" for c in listed) or "无"
        raise IngestError(
            f"The drawing has no layer {missing} to read. Its layers: {said_en}.",
            f"图纸中没有可读取的图层 {missing}。现有图层：{said_zh}。",
        )
    lines = not any(c.shapes for c in listed if c.name in chosen)
    from ezdxf import bbox

    entities, boxes = _chosen_entities(doc, set(chosen)), bbox.Cache()
    box = bbox.extents(entities, fast=True, cache=boxes)
    if not box.has_data:
        raise IngestError(
            f"The layers {', '.join(chosen)} hold no shapes the atlas can read.",
            f"图层 {'、'.join(chosen)} 中没有可读取的图形。",
        )
    bounds = np.array([box.extmin.x, box.extmin.y, box.extmax.x, box.extmax.y])
    scale, unit, how = _unit(int(doc.header.get("$INSUNITS", 0) or 0), bounds)
    shapes = _collect(entities, scale, close_gaps_m, lines, boxes)
    if not shapes.geometry:
        _warn_open(shapes, close_gaps_m, lines, warnings)
        raise IngestError(
            f"The layers {', '.join(chosen)} hold no shapes the atlas can read as parcels: "
            f"{'; '.join(warnings.en) or 'none is closed'}.",
            f"图层 {'、'.join(chosen)} 中没有可作为地块读取的图形："
            f"{'；'.join(warnings.zh) or '没有闭合图形'}。",
        )
    geometry = shapely.transform(np.asarray(shapes.geometry), lambda c: c * scale)
    own = np.array([r is not None for r in shapes.records])
    gdf = gpd.GeoDataFrame([r for r, o in zip(shapes.rows, own, strict=True) if not o],
                           geometry=list(geometry[~own]))  # fmt: skip
    gdf, merged = _merge_hatches(gdf) if not lines and len(gdf) else (gdf, 0)
    texts = {}
    if own.any():  # the atlas' own drawing, and what a planner drew in it since
        ours = _from_records(shapes, geometry)
        words = drawing_texts(doc, scale)  # those inside the atlas' own parcels are theirs
        where = shapely.points([w[2] for w in words]) if words else np.array([])
        inside = set(ours.sindex.query(where, predicate="within")[0].tolist())
        words = [w for n, w in enumerate(words) if n not in inside]
        texts = place_texts(gdf, words, warnings) if len(gdf) else {}
        texts["from_atlas"], texts["drawn_since"] = len(ours), len(gdf)
        same = {PARCEL_ID: "id", LAND_USE: "land_use"}  # the new ones' numbers beside the atlas'
        gdf = gdf.rename(columns={k: v for k, v in same.items() if v in ours and v not in gdf})
        gdf = gpd.GeoDataFrame(pd.concat([ours, gdf], ignore_index=True), geometry="geometry")
    elif not lines:
        texts = place_texts(gdf, drawing_texts(doc, scale), warnings)
    _warn_open(shapes, close_gaps_m, lines, warnings)
    info = {"layers": [asdict(c) for c in listed],
            "chosen": chosen, "unit": unit, "unit_how": how, "metres_per_unit": scale,
            "open": len(shapes.open), "closed_by_gap": shapes.closed_by_gap,
            "close_gaps_m": close_gaps_m, "hatches_merged": merged, "texts": texts,
            "version": doc.dxfversion, "lines": lines}  # fmt: skip
    _say_unit(info, warnings)
    return gdf, info


def _polylines(n: int) -> str:
    return "1 open polyline was" if n == 1 else f"{n} open polylines were"


def _warn_open(shapes: _Shapes, gap_m: float, lines: bool, warnings: Warnings) -> None:
    if shapes.too_large:
        warnings.add(
            f"{shapes.too_large} shapes more than {MAX_SIZE_M / 1000:,.0f} km across were left "
            "out (a frame, a mistaken coordinate, or the wrong unit): no parcel is that large.",
            f"有 {shapes.too_large} 个图形跨度超过 {MAX_SIZE_M / 1000:,.0f} 千米，未读取（图框、"
            "坐标错误或单位不对）：地块不会这么大。",
        )
    if shapes.closed_by_gap:
        warnings.add(
            f"{_polylines(shapes.closed_by_gap)} closed (ends within {gap_m:g} m of each other).",
            f"有 {shapes.closed_by_gap} 条未闭合的多段线已闭合（首尾相距不超过 {gap_m:g} 米）。",
        )
    if lines or not shapes.open:
        return
    gaps = sorted(shapes.open)
    shown = ", ".join(f"{g:,.2f}" for g in gaps[:6])
    warnings.add(
        f"{_polylines(len(gaps))} not read as {'parcels' if len(gaps) > 1 else 'a parcel'} "
        f"({'their' if len(gaps) > 1 else 'its'} ends are {shown} m apart). To close "
        f"{'them' if len(gaps) > 1 else 'it'}, set "
        f"'Close gaps up to (m)' to {gaps[0]:,.2f} or more (--close-gaps M), or close "
        f"{'them' if len(gaps) > 1 else 'it'} in the drawing.",
        f"有 {len(gaps)} 条未闭合的多段线未作为地块读取（首尾相距 {shown} 米）。如需闭合，"
        f"请把「闭合缺口不超过」设为 {gaps[0]:,.2f} 米或更大，或在图纸中闭合。",
    )


def _say_unit(info: dict, warnings: Warnings) -> None:
    """Say how the drawing's unit was decided where it was not plain metres by coordinates."""
    if info["unit"] == "m" and info["unit_how"] == "coordinates":
        return
    why_en = {"coordinates": "the coordinates are Gauss-Krüger metres times 1,000",
              "header": "the drawing's $INSUNITS says so", "default": "the drawing names no "
              "unit and its coordinates are local"}[info["unit_how"]]  # fmt: skip
    why_zh = {"coordinates": "坐标为高斯-克吕格米制坐标的 1000 倍",
              "header": "图纸的 $INSUNITS 如此声明",
              "default": "图纸未声明单位且坐标为局部坐标"}[info["unit_how"]]  # fmt: skip
    warnings.add(
        f"Drawing units read as {info['unit']} ({why_en}).",
        f"图纸单位按 {info['unit']} 读取（{why_zh}）。",
    )


_CODEPAGES = {"utf8": "UTF-8", "utf-8": "UTF-8", "cp936": "GBK", "gbk": "GBK", "cp950": "Big5"}


def dxf_encoding(path: Path):
    """How the drawing's text was decoded (its version and code page), for the report."""
    from geo.uploads.encoding import EncodingDecision

    doc = _drawing(path)
    utf8 = doc.dxfversion >= "AC1021"
    name = "UTF-8" if utf8 else _CODEPAGES.get(str(doc.encoding).lower(), str(doc.encoding))
    page = doc.header.get("$DWGCODEPAGE", "")
    said = "text is UTF-8" if utf8 else f"declares $DWGCODEPAGE {page}"
    detail = f"DXF {doc.acad_release} ({doc.dxfversion}) {said}"
    return EncodingDecision(name, "format", detail)
