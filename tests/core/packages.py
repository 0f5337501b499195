"""Hand-made .xlsx packages for the limit tests: parts written straight into
the zip, so that a sheet of millions of rows stays small on disk."""

import io
import struct
import zipfile

CENTRAL_HEADER = b"PK\x01\x02"


def repackaged(content, parts):
    """``content`` (an .xlsx) with ``parts`` ({name: iterable of bytes}) replaced."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename in parts:
                with target.open(info.filename, "w", force_zip64=True) as member:
                    for chunk in parts[info.filename]:
                        member.write(chunk)
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


def with_members(content, count):
    """``content`` with ``count`` more (tiny) parts."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info.filename))
        for number in range(count):
            target.writestr(f"xl/media/extra{number}.xml", b"<x/>")
    return out.getvalue()


def lying_about_its_size(content, name):
    """``content`` whose zip directory says ``name`` unpacks to 100 bytes."""
    data = bytearray(content)
    start = 0
    while (start := data.find(CENTRAL_HEADER, start)) != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length] == name.encode():
            # The uncompressed size, 24 bytes into a central directory entry.
            struct.pack_into("<I", data, start + 24, 100)
            return bytes(data)
        start += 4
    raise LookupError(name)
