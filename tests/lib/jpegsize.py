# tests/lib/jpegsize.py - imported by the shell tests' python: the size of
# a JPEG as its frame header gives it (the covers digest draws, cover.h).
import struct


def jpeg_size(data):
    """(width, height) of a whole baseline JPEG (SOI, SOF0, EOI), else None."""
    if data[:3] != b"\xff\xd8\xff" or data[-2:] != b"\xff\xd9":
        return None
    i = 2
    while i + 9 < len(data) and data[i] == 0xFF:
        marker, n = data[i + 1], struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xC0:
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return w, h
        i += 2 + n
    return None
