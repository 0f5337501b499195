"""Layer files for the tests of the layer reader and of the imports using it."""

import io
import zipfile

import shapefile
from pyproj import Geod, Transformer

GEOD = Geod(ellps="WGS84")
# VN-2000 coordinates of the same places made by PROJ's own EPSG pipeline
# (EPSG:5899, VN-2000 / TM-3 107-45), not by the reader's parameters.
TO_VN2000 = Transformer.from_crs("EPSG:4326", "EPSG:5899", always_xy=True)


def vn2000(points):
    return [TO_VN2000.transform(lon, lat) for lon, lat in points]


def metres_apart(a, b):
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def zipped_shapefile(rows, *, shape_type=shapefile.POLYGON, prj=None, name="lop"):
    """A .zip holding one Shapefile; ``rows`` are (code, parts or None)."""
    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    writer = shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shape_type)
    writer.field("ma", "C", size=12)
    writer.field("ten", "C", size=60)
    for code, parts in rows:
        if parts is None:
            writer.null()
        elif shape_type == shapefile.POINT:
            writer.point(*parts)
        else:
            writer.poly(parts)
        writer.record(code, f"Vùng {code}")
    writer.close()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{name}.shp", shp.getvalue())
        archive.writestr(f"{name}.shx", shx.getvalue())
        archive.writestr(f"{name}.dbf", dbf.getvalue())
        if prj:
            archive.writestr(f"{name}.prj", prj)
    return buffer.getvalue()


def ring(points):
    return [*points, points[0]]
