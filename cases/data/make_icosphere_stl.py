#!/usr/bin/env python3
"""Write a geodesic icosphere as a binary STL (the example STL electrode of the cases).

The regular icosahedron, every facet split into four LEVEL times with the new corners projected
onto the unit sphere (the same construction as mpstream's mesh/stl.cpp icosphere()): 20 * 4^LEVEL
facets, all corners on the sphere, watertight (each edge midpoint is made once and shared).

    cases/data/make_icosphere_stl.py [LEVEL] [OUT]     (defaults: 3, cases/data/icosphere_unit.stl)

The file is in units of the radius: give `scale: <radius in m>` in the case.
"""
import math
import os
import struct
import sys


def icosphere(level):
    t = 0.5 * (1.0 + math.sqrt(5.0))
    v = [(-1, t, 0), (1, t, 0), (-1, -t, 0), (1, -t, 0), (0, -1, t), (0, 1, t), (0, -1, -t),
         (0, 1, -t), (t, 0, -1), (t, 0, 1), (-t, 0, -1), (-t, 0, 1)]

    def project(p):
        n = math.sqrt(sum(x * x for x in p))
        return tuple(x / n for x in p)

    v = [project(p) for p in v]
    tri = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4),
           (11, 10, 2), (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8),
           (3, 8, 9), (4, 9, 5), (2, 4, 11), (6, 2, 10), (8, 6, 7), (9, 8, 1)]
    for _ in range(level):
        mid = {}

        def midpoint(a, b):
            key = (min(a, b), max(a, b))
            if key not in mid:
                v.append(project(tuple(x + y for x, y in zip(v[a], v[b]))))
                mid[key] = len(v) - 1
            return mid[key]

        nxt = []
        for a0, b0, c0 in tri:
            a, b, c = midpoint(a0, b0), midpoint(b0, c0), midpoint(c0, a0)
            nxt += [(a0, a, c), (b0, b, a), (c0, c, b), (a, b, c)]
        tri = nxt
    return v, tri


def main():
    level = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, "icosphere_unit.stl")
    v, tri = icosphere(level)
    with open(out, "wb") as f:
        f.write(b"icosphere level %d, unit radius (mpstream cases/data)".ljust(80, b" "))
        f.write(struct.pack("<I", len(tri)))
        for a, b, c in tri:
            pa, pb, pc = v[a], v[b], v[c]
            e1 = [y - x for x, y in zip(pa, pb)]
            e2 = [y - x for x, y in zip(pa, pc)]
            n = (e1[1] * e2[2] - e1[2] * e2[1], e1[2] * e2[0] - e1[0] * e2[2],
                 e1[0] * e2[1] - e1[1] * e2[0])
            ln = math.sqrt(sum(x * x for x in n)) or 1.0
            f.write(struct.pack("<12fH", *(x / ln for x in n), *pa, *pb, *pc, 0))
    print(f"{out}: {len(tri)} facets")


if __name__ == "__main__":
    main()
