"""Reads the character vectors out of R data files without R.

R packages ship their data as lazy-load databases (data/Rdata.rdb: a sequence of 4-byte length +
zlib-compressed serialized objects) or as save() files (*.rda: gzip/bzip2/xz "RDX2/RDX3" files).
Both hold R's XDR serialization; this module decodes enough of it to return every character
vector with its values, which is all the corpus needs (book texts are character columns).
Standard library only, so the corpus builds on a machine without R.
"""

import bz2
import gzip
import lzma
import struct
import zlib

NIL, REF, GLOBALENV, UNBOUND, MISSING, BASENS = 254, 255, 253, 252, 251, 250
NAMESPACE, PACKAGE, PERSIST = 249, 248, 247
EMPTYENV, BASEENV, ATTRLANG, ATTRLIST, ALTREP = 242, 241, 240, 239, 238


class RReader:
    def __init__(self, data):
        self.data = data
        self.pos = 0
        self.refs = []
        self.strings = []  # every character vector met, in order

    def int(self):
        (v,) = struct.unpack_from(">i", self.data, self.pos)
        self.pos += 4
        return v

    def length(self):
        n = self.int()
        if n == -1:
            hi, lo = self.int(), self.int()
            n = (hi << 32) + lo
        return n

    def header(self):
        if self.data[:2] != b"X\n":
            raise ValueError("not an XDR R serialization")
        self.pos = 2
        version = self.int()
        self.int()
        self.int()
        if version == 3:
            n = self.int()  # native encoding name
            self.pos += n

    def item(self):
        flags = self.int()
        kind = flags & 0xFF
        has_attr, has_tag = flags & (1 << 9), flags & (1 << 10)
        if kind in (NIL, GLOBALENV, UNBOUND, MISSING, BASENS, EMPTYENV, BASEENV):
            return None
        if kind == REF:
            index = flags >> 8
            return self.refs[(index or self.int()) - 1]
        if kind in (NAMESPACE, PACKAGE, PERSIST):
            self.int()
            value = [self.item() for _ in range(self.int())]
            self.refs.append(value)
            return value
        if kind == 1:  # SYMSXP
            value = self.item()
            self.refs.append(value)
            return value
        if kind == 4:  # ENVSXP
            self.int()
            env = {}
            self.refs.append(env)
            for _ in range(4):  # enclosure, frame, hash table, attributes
                self.item()
            return env
        if kind in (2, 3, 5, 6, 17, ATTRLANG, ATTRLIST):  # pairlist-like
            out = []
            while True:
                if has_attr:
                    self.item()
                tag = self.item() if has_tag else None
                out.append((tag, self.item()))
                flags = self.int()
                kind = flags & 0xFF
                has_attr, has_tag = flags & (1 << 9), flags & (1 << 10)
                if kind not in (2, 3, 5, 6, 17, ATTRLANG, ATTRLIST):
                    self.pos -= 4
                    self.item()  # the tail (normally NULL)
                    return out
        if kind == 9:  # CHARSXP
            n = self.int()
            if n == -1:
                return None
            value = self.data[self.pos:self.pos + n].decode("utf-8", "replace")
            self.pos += n
            return value
        if kind in (10, 13):  # logical, integer
            n = self.length()
            self.pos += 4 * n
            value = None
        elif kind == 14:
            n = self.length()
            self.pos += 8 * n
            value = None
        elif kind == 15:
            n = self.length()
            self.pos += 16 * n
            value = None
        elif kind == 24:
            n = self.length()
            self.pos += n
            value = None
        elif kind == 16:  # STRSXP
            value = [self.item() for _ in range(self.length())]
            self.strings.append(value)
        elif kind in (19, 20):  # list, expression
            value = [self.item() for _ in range(self.length())]
        elif kind == 25:  # S4 object: attributes only
            value = None
        elif kind == ALTREP:
            self.item()  # class info
            value = self.item()  # state (a compact sequence, or the expanded vector)
            self.item()  # attributes
            return value
        else:
            raise ValueError("unsupported R type %d at byte %d" % (kind, self.pos))
        if has_attr:
            self.item()
        return value


def _decompress(raw):
    if raw[:2] == b"\x1f\x8b":
        return gzip.decompress(raw)
    if raw[:3] == b"BZh":
        return bz2.decompress(raw)
    if raw[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(raw)
    return raw


def strings_of(serialized):
    reader = RReader(serialized)
    reader.header()
    reader.item()
    return reader.strings


def rda_strings(path):
    """Character vectors of a save() file (*.rda / *.RData)."""
    data = _decompress(open(path, "rb").read())
    if data[:5] not in (b"RDX2\n", b"RDX3\n"):
        raise ValueError(path + ": not an R save file")
    return strings_of(data[5:])


def rdb_strings(path):
    """Character vectors of every object in a lazy-load database (*.rdb)."""
    data = open(path, "rb").read()
    out, pos = [], 0
    while pos + 4 < len(data):
        stream = zlib.decompressobj()
        body = stream.decompress(data[pos + 4:])
        out.extend(strings_of(body))
        pos = len(data) - len(stream.unused_data)
    return out
