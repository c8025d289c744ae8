"""Write a layer as an AutoCAD drawing (DXF R2010, metres, CGCS2000 GK CM 120E, EPSG:4549).

For planners who go back to AutoCAD: each polygon's rings as closed polylines on one layer per
category (its land use or status, coloured as on the map), the parcel number as a text in the
middle of each parcel on its own layer. Every feature's columns travel in the polyline's XDATA
(application ``SIP_ATLAS``, JSON), so that the atlas reads its own drawing back with the same
columns; AutoCAD keeps XDATA it does not know.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from matplotlib.colors import to_rgb
from shapely.geometry.base import BaseGeometry

from geo.crs import CGCS2000_GK_CM120E
from geo.uploads.dxf import APP_ID

__all__ = ["write_dxf"]

_CHUNK = 250  # bytes of one XDATA string (AutoCAD's limit is 255)
_XDATA_MAX = 16_000  # bytes of XDATA an entity may carry
_BAD = re.compile(r'[<>/\\":;?*|=`,]')  # characters AutoCAD's layer names refuse


def _cad_name(text: str) -> str:
    return _BAD.sub("_", text).strip() or "0"


def _plain_value(value: object) -> object:
    """A cell as JSON holds it: a number, text, true/false or null; anything else as text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _chunks(text: str) -> list[tuple[int, str]]:
    """``text`` as XDATA strings of at most ``_CHUNK`` bytes, cut between characters."""
    out, piece = [], ""
    for char in text:
        if len((piece + char).encode("utf-8")) > _CHUNK:
            out.append((1000, piece))
            piece = ""
        piece += char
    return [*out, (1000, piece)] if piece else out


def _rgb(colour: str) -> tuple[int, int, int]:
    r, g, b = (round(255 * v) for v in to_rgb(colour))
    return r, g, b


def _rings(geometry: BaseGeometry) -> list[tuple[list, bool, bool]]:
    """(points, closed, is a hole) of each ring or line of ``geometry``."""
    parts = getattr(geometry, "geoms", [geometry])
    rings = []
    for part in parts:
        if part.geom_type == "Polygon":
            rings.append((list(part.exterior.coords)[:-1], True, False))
            rings += [(list(r.coords)[:-1], True, True) for r in part.interiors]
        elif part.geom_type == "LineString":
            rings.append((list(part.coords), False, False))
    return rings


def write_dxf(gdf: gpd.GeoDataFrame, out: Path, *, name: str, by: str | None,
              colours: dict[str, str], names: dict[str, str], colour: str, label: str | None,
              attribution: str = "") -> dict:  # fmt: skip
    """Write ``gdf`` (any CRS; written in EPSG:4549 metres) to ``out``, one layer per value of
    ``by`` (named ``name-<its name in names>``, coloured by ``colours``); returns what was
    written: the drawing's layers, texts and the features whose columns were too many to
    carry (their shapes and texts are written)."""
    import ezdxf
    from ezdxf.enums import TextEntityAlignment

    metric = gdf.to_crs(CGCS2000_GK_CM120E)
    doc = ezdxf.new("R2010", setup=False)
    doc.units = ezdxf.units.M
    doc.appids.add(APP_ID)
    if attribution:
        doc.header.custom_vars.append("attribution", attribution[:250])
    msp, base = doc.modelspace(), _cad_name(name)
    categories = metric[by].fillna("").astype(str) if by else pd.Series("", index=metric.index)
    layers: dict[str, int] = {}
    on = {v: _cad_name(f"{base}-{names.get(v, v)}" if v else base) for v in set(categories)}
    for value, layer_name in on.items():
        doc.layers.add(layer_name).rgb = _rgb(colours.get(value, colour))
    texts, heavy = _cad_name(f"{base}-编号"), []
    doc.layers.add(texts, color=7)
    records = pd.DataFrame(metric.drop(columns=metric.geometry.name)).to_dict("records")
    for n, (geometry, value, cells) in enumerate(zip(metric.geometry, categories, records,
                                                    strict=True)):  # fmt: skip
        if geometry is None or geometry.is_empty:
            continue
        layer = on[value]
        row = {str(c): _plain_value(v) for c, v in cells.items()}
        record = json.dumps({"feature": n, "columns": row}, ensure_ascii=False)
        if len(record.encode("utf-8")) > _XDATA_MAX:
            heavy.append(n)
            record = json.dumps({"feature": n, "columns": {}})
        for i, (points, closed, hole) in enumerate(_rings(geometry)):
            line = msp.add_lwpolyline(points, close=closed, dxfattribs={"layer": layer})
            data = record if i == 0 else json.dumps({"feature": n, "hole": hole})
            line.set_xdata(APP_ID, _chunks(data))
            layers[layer] = layers.get(layer, 0) + 1
        text = row.get(label) if label else None
        if text not in (None, "") and geometry.geom_type.endswith("Polygon"):
            where = geometry.representative_point()
            height = min(max(math.sqrt(geometry.area) / 15, 1.5), 20.0)
            msp.add_text(str(text), height=height, dxfattribs={"layer": texts}
                         ).set_placement((where.x, where.y),
                                         align=TextEntityAlignment.MIDDLE_CENTER)  # fmt: skip
    doc.saveas(out)
    return {"crs": CGCS2000_GK_CM120E, "cad_layers": layers, "text_layer": texts,
            "columns_not_kept": heavy}  # fmt: skip
