#!/usr/bin/env python3
"""Compare two renderings of one figure: fraction of differing pixels.

usage: svgcompare.py A B [--threshold T] [--diff out.pgm]
A and B are PNG (8-bit gray/RGB/RGBA/palette, non-interlaced) or binary PGM
(P5, e.g. `pdftoppm -gray`) of the same size.  Both are turned to gray,
blurred with a 3x3 box (so one-pixel anti-aliasing shifts do not count), and
a pixel "differs" when the blurred grays differ by more than T (0..255,
default 48).  Prints: differing=N total=M fraction=F.  Standard library only.
"""
import struct
import sys
import zlib


def read_pgm(data):
    # P5 <w> <h> <max>\n<bytes>; comments are not produced by pdftoppm
    parts = []
    i = 2
    while len(parts) < 3:
        while data[i:i + 1].isspace():
            i += 1
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        parts.append(int(data[i:j]))
        i = j
    i += 1
    w, h, mx = parts
    if mx != 255:
        raise ValueError("PGM maxval must be 255")
    return w, h, list(data[i:i + w * h])


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(data):
    i = 8
    idat = b""
    plte = None
    w = h = bd = ct = il = 0
    while i < len(data):
        n, t = struct.unpack(">I4s", data[i:i + 8])
        c = data[i + 8:i + 8 + n]
        i += 12 + n
        if t == b"IHDR":
            w, h, bd, ct, _, _, il = struct.unpack(">IIBBBBB", c)
        elif t == b"PLTE":
            plte = c
        elif t == b"IDAT":
            idat += c
        elif t == b"IEND":
            break
    if bd != 8 or il != 0:
        raise ValueError("only 8-bit non-interlaced PNG")
    ch = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[ct]
    raw = zlib.decompress(idat)
    stride = w * ch
    prev = bytearray(stride)
    gray = []
    pos = 0
    for _ in range(h):
        f = raw[pos]
        line = bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for x in range(stride):
            a = line[x - ch] if x >= ch else 0
            b = prev[x]
            c = prev[x - ch] if x >= ch else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + ((a + b) >> 1)) & 255
            elif f == 4:
                line[x] = (line[x] + paeth(a, b, c)) & 255
        prev = line
        for x in range(w):
            px = line[x * ch:(x + 1) * ch]
            if ct == 3:
                r, g, bb = plte[3 * px[0]:3 * px[0] + 3]
                alpha = 255
            elif ct in (0, 4):
                r = g = bb = px[0]
                alpha = px[1] if ct == 4 else 255
            else:
                r, g, bb = px[0], px[1], px[2]
                alpha = px[3] if ct == 6 else 255
            # ITU-R 601 luma, composited over white
            y = (299 * r + 587 * g + 114 * bb) // 1000
            gray.append((y * alpha + 255 * (255 - alpha)) // 255)
    return w, h, gray


def load(path):
    data = open(path, "rb").read()
    if data[:2] == b"P5":
        return read_pgm(data)
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return read_png(data)
    raise ValueError(path + ": not PNG or P5 PGM")


def blur(w, h, g):
    out = [0] * (w * h)
    for y in range(h):
        for x in range(w):
            s = n = 0
            for dy in (-1, 0, 1):
                yy = y + dy
                if yy < 0 or yy >= h:
                    continue
                row = yy * w
                for dx in (-1, 0, 1):
                    xx = x + dx
                    if 0 <= xx < w:
                        s += g[row + xx]
                        n += 1
            out[y * w + x] = s // n
    return out


def write_png_gray(f, w, h, pix):
    def chunk(t, c):
        f.write(struct.pack(">I", len(c)) + t + c +
                struct.pack(">I", zlib.crc32(t + c) & 0xffffffff))
    f.write(b"\x89PNG\r\n\x1a\n")
    chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
    raw = b"".join(b"\x00" + pix[y * w:(y + 1) * w] for y in range(h))
    chunk(b"IDAT", zlib.compress(raw, 9))
    chunk(b"IEND", b"")


def main(argv):
    args = [a for a in argv[1:]]
    thr = 48
    diff_out = None
    if "--threshold" in args:
        k = args.index("--threshold")
        thr = int(args[k + 1])
        del args[k:k + 2]
    if "--diff" in args:
        k = args.index("--diff")
        diff_out = args[k + 1]
        del args[k:k + 2]
    if len(args) != 2:
        sys.stderr.write(__doc__)
        return 2
    wa, ha, a = load(args[0])
    wb, hb, b = load(args[1])
    if (wa, ha) != (wb, hb):
        sys.stderr.write("size differs: %dx%d vs %dx%d\n" % (wa, ha, wb, hb))
        return 1
    a = blur(wa, ha, a)
    b = blur(wb, hb, b)
    d = [abs(p - q) for p, q in zip(a, b)]
    n = sum(1 for v in d if v > thr)
    if diff_out:
        pix = bytes(255 - min(255, 4 * v) for v in d)
        with open(diff_out, "wb") as f:
            if diff_out.endswith(".png"):
                write_png_gray(f, wa, ha, pix)
            else:
                f.write(b"P5 %d %d 255\n" % (wa, ha))
                f.write(pix)
    print("differing=%d total=%d fraction=%.4f" % (n, wa * ha, n / (wa * ha)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
