"""The map as a QGIS project: a ``.qgz`` beside one GeoPackage of the shown layers.

Written as QGIS documents its project format (a zip holding one ``.qgs`` XML document:
``projectCrs``, ``layer-tree-group``, ``projectlayers`` of ``maplayer``s, ``layerorder``,
``mapcanvas``), with paths relative to the project, so the folder can be copied or mailed.
The data is in the project CRS, EPSG:4549 (CGCS2000 GK CM 120E, metres: QGIS measures areas
as the atlas does); each layer carries its style (the atlas' colours, categories and labels)
in the project and in the GeoPackage's ``layer_styles``. A basemap set in the atlas comes as
an XYZ tile layer, except a GCJ-02 one (Gaode), which would lie some 500 m off the data.
"""

from __future__ import annotations

import contextlib
import os
import warnings
import zipfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

import geopandas as gpd
import pyogrio
from pyproj import CRS

from geo.crs import CGCS2000_GK_CM120E
from geo.errors import SipAtlasError
from geo.export import ExportStyle, without_helpers, write_styled_layer
from layers.basemaps import Basemap
from layers.qgis_style import QGIS_VERSION, qml
from layers.registry import Lang, LayerSpec, load_registry

__all__ = ["PROJECT_NAME", "write_qgis_project"]

PROJECT_NAME = "sip-atlas"
_WKB = {"Polygon": "MultiPolygon", "LineString": "MultiLineString", "Point": "Point"}


@lru_cache(maxsize=4)
def _srs_fields(code: str) -> tuple[tuple[str, str], ...]:
    """QGIS's ``spatialrefsys`` fields of a CRS (its proj string as QGIS keeps one too)."""
    crs = CRS.from_user_input(code)
    epsg = crs.to_epsg()
    with warnings.catch_warnings():  # pyproj warns that a proj string says less than WKT
        warnings.simplefilter("ignore", UserWarning)
        proj4 = crs.to_proj4() or ""
    return (("wkt", crs.to_wkt("WKT2_2019")), ("proj4", proj4), ("srid", str(epsg)),
            ("authid", f"EPSG:{epsg}"), ("description", crs.name),
            ("geographicflag", "true" if crs.is_geographic else "false"))  # fmt: skip


def _srs(parent: ET.Element, code: str) -> None:
    ref = ET.SubElement(parent, "spatialrefsys", nativeFormat="Wkt")
    for tag, text in _srs_fields(code):
        ET.SubElement(ref, tag).text = text


def _extent(parent: ET.Element, tag: str, bounds) -> None:
    box = ET.SubElement(parent, tag)
    for name, value in zip(("xmin", "ymin", "xmax", "ymax"), bounds, strict=True):
        ET.SubElement(box, name).text = f"{value:.3f}"


def _vector(spec: LayerSpec, gdf: gpd.GeoDataFrame, look: ExportStyle, source: str,
            lang: Lang) -> ET.Element:  # fmt: skip
    style = ET.fromstring(look.qml)
    layer = ET.Element("maplayer", type="vector", geometry=spec.geometry_type.replace(
        "LineString", "Line"), wkbType=_WKB[spec.geometry_type],
        labelsEnabled=style.get("labelsEnabled", "0"), styleCategories="AllStyleCategories",
        hasScaleBasedVisibilityFlag="0", minScale="100000000", maxScale="0")  # fmt: skip
    if len(gdf) and not gdf.geometry.is_empty.all():  # QGIS works out an empty layer's own
        _extent(layer, "extent", gdf.total_bounds)
    ET.SubElement(layer, "id").text = spec.id
    ET.SubElement(layer, "datasource").text = source
    ET.SubElement(layer, "layername").text = spec.name(lang)
    _srs(ET.SubElement(layer, "srs"), CGCS2000_GK_CM120E)
    if spec.attribution:
        meta = ET.SubElement(layer, "resourceMetadata")
        ET.SubElement(meta, "rights").text = "; ".join(spec.attribution)
    ET.SubElement(layer, "provider", encoding="UTF-8").text = "ogr"
    layer.extend(list(style))
    return layer


def _xyz_source(basemap: Basemap) -> str:
    url = basemap.tiles.replace("{s}", basemap.subdomains[:1]).replace("{r}", "")
    return f"type=xyz&url={quote(url, safe=':/')}&zmax={basemap.max_zoom}&zmin=0"


def _raster(basemap: Basemap, lang: Lang) -> ET.Element:
    layer = ET.Element("maplayer", type="raster", styleCategories="AllStyleCategories")
    ET.SubElement(layer, "id").text = "basemap"
    ET.SubElement(layer, "datasource").text = _xyz_source(basemap)
    ET.SubElement(layer, "layername").text = basemap.name(lang)
    _srs(ET.SubElement(layer, "srs"), "EPSG:3857")
    meta = ET.SubElement(layer, "resourceMetadata")
    ET.SubElement(meta, "rights").text = basemap.attribution.replace("&copy;", "©")
    ET.SubElement(layer, "provider").text = "wms"
    return layer


def _tree_layer(parent: ET.Element, layer_id: str, name: str, source: str, provider: str):
    ET.SubElement(parent, "layer-tree-layer", id=layer_id, name=name, source=source,
                  providerKey=provider, checked="Qt::Checked", expanded="1")  # fmt: skip


def _document(layers, sources, basemap, title: str, lang: Lang, bounds) -> ET.Element:
    root = ET.Element("qgis", projectname=title, version=QGIS_VERSION)
    ET.SubElement(root, "homePath", path="")
    ET.SubElement(root, "title").text = title
    _srs(ET.SubElement(root, "projectCrs"), CGCS2000_GK_CM120E)
    tree = ET.SubElement(root, "layer-tree-group")
    groups: dict[str, ET.Element] = {}
    names = load_registry().groups
    for spec, _, _ in reversed(layers):  # the tree lists the top layer first
        if spec.group not in groups:
            group_name = names.get(spec.group, {}).get(lang, spec.group)
            groups[spec.group] = ET.SubElement(tree, "layer-tree-group", name=group_name,
                                               checked="Qt::Checked", expanded="1")  # fmt: skip
        _tree_layer(groups[spec.group], spec.id, spec.name(lang), sources[spec.id], "ogr")
    project_layers = ET.SubElement(root, "projectlayers")
    for spec, gdf, look in layers:
        project_layers.append(_vector(spec, gdf, look, sources[spec.id], lang))
    if basemap is not None:
        raster = _raster(basemap, lang)
        _tree_layer(tree, "basemap", basemap.name(lang), raster.findtext("datasource"), "wms")
        project_layers.append(raster)
    order = ET.SubElement(root, "layerorder")
    for spec, _, _ in reversed(layers):
        ET.SubElement(order, "layer", id=spec.id)
    if basemap is not None:
        ET.SubElement(order, "layer", id="basemap")
    properties = ET.SubElement(root, "properties")
    paths = ET.SubElement(properties, "Paths")
    ET.SubElement(paths, "Absolute", type="bool").text = "false"
    canvas = ET.SubElement(root, "mapcanvas", name="theMapCanvas", annotationsVisible="1")
    ET.SubElement(canvas, "units").text = "meters"
    _extent(canvas, "extent", bounds)
    _srs(ET.SubElement(canvas, "destinationsrs"), CGCS2000_GK_CM120E)
    return root


def _write_data(layers, part: Path, lang: Lang) -> list:
    """Each layer into the GeoPackage ``part`` in EPSG:4549, with its style; the layers as
    written, each with its style."""
    metric = []
    for spec, gdf in layers:
        data = without_helpers(gdf.to_crs(CGCS2000_GK_CM120E))
        look = ExportStyle(qml=qml(spec, lang, list(data.columns)), name=spec.name(lang))
        write_styled_layer(data, part, spec.id, attribution="; ".join(spec.attribution),
                           style=look, multi=spec.geometry_type != "Point")  # fmt: skip
        metric.append((spec, data, look))
    return metric


def write_qgis_project(
    layers: Sequence[tuple[LayerSpec, gpd.GeoDataFrame]],
    folder: Path,
    *,
    lang: Lang = "zh",
    title: str = "苏州工业园区规划图集",
    basemap: Basemap | None = None,
) -> dict:
    """Write ``folder``/sip-atlas.qgz and sip-atlas.gpkg: ``layers`` (in drawing order,
    bottom first; any CRS, written in EPSG:4549) named and labelled in ``lang``, with
    ``basemap`` (None: none). Each file appears whole or not at all. Returns what was
    written: the files, the layers, the basemap and why one was left out."""
    if not layers:
        raise SipAtlasError("No layer is shown: switch on the layers the project should hold.")
    gpkg, qgz = folder / f"{PROJECT_NAME}.gpkg", folder / f"{PROJECT_NAME}.qgz"
    part, qgz_part = folder / f".{PROJECT_NAME}.part.gpkg", folder / f".{PROJECT_NAME}.part.qgz"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        part.unlink(missing_ok=True)
        metric = _write_data(layers, part, lang)
    except (OSError, pyogrio.errors.DataSourceError, ValueError) as exc:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)
        msg = f"Could not write the QGIS project in {folder} ({exc}). Check the folder."
        raise SipAtlasError(msg) from exc
    sources = {spec.id: f"./{gpkg.name}|layername={spec.id}" for spec, _ in layers}
    left_out = None
    if basemap is not None and (basemap.tiles is None or basemap.datum == "gcj02"):
        left_out = basemap.id if basemap.tiles else None
        basemap = None
    frames = [d.total_bounds for _, d, _ in metric if len(d)]
    bounds = ([min(f[0] for f in frames), min(f[1] for f in frames),
               max(f[2] for f in frames), max(f[3] for f in frames)]
              if frames else [540_000, 3_450_000, 600_000, 3_490_000])  # fmt: skip
    root = _document(metric, sources, basemap, title, lang, bounds)
    text = ET.tostring(root, encoding="unicode")
    body = f"<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n{text}\n"
    with zipfile.ZipFile(qgz_part, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{PROJECT_NAME}.qgs", body)
    os.replace(part, gpkg)
    os.replace(qgz_part, qgz)
    return {"project": str(qgz), "data": str(gpkg), "crs": CGCS2000_GK_CM120E,
            "layers": [s.id for s, _ in layers], "basemap": basemap.id if basemap else None,
            "basemap_left_out": left_out}  # fmt: skip
