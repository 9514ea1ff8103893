#!/usr/bin/env python3
"""Generate src/math/math_ttfmetrics.inc and src/math/math_amssym.inc.

lossbook draws \\mathbb, \\mathfrak, \\mathscr and the amssymb symbols from
the TrueType fonts of fonts-katex (KaTeX_AMS, KaTeX_Fraktur, KaTeX_Script:
the AMS and RSFS Type 1 designs), but lays them out with the TeX metrics
pdflatex uses for the same characters (a TrueType font has ink boxes, not
TFM heights, depths and italic corrections; and TeX has a design per size
where KaTeX has one):

  - math_ttfmetrics.inc: for each character and each of the three sizes
    (10, 7, 5 pt: msbm10/7/5 and msam10/7/5 for \\mathbb and amssymb,
    eufm10/7/5 for \\mathfrak, rsfs10/7/5 for \\mathscr, as amsfonts and
    mathrsfs choose them), width, height, depth and italic correction in
    em of the size, read from the TFM files;
  - math_amssym.inc: the command table entries of amssymb.sty and
    amsfonts.sty (\\DeclareMathSymbol{\\lesssim}{\\mathrel}{AMSa}{"2E}), each
    with the Unicode character KaTeX_AMS has it at (the table below), for
    the symbols that KaTeX_AMS has and math_symbols.c does not define.

Sources (development machine only; the output is checked in, so neither
`make report` nor `make test` needs them): texlive's amsfonts and rsfs TFMs
and .sty files, fonts-katex's KaTeX_AMS-Regular.ttf.
Usage: tests/tools/gen_ttf_metrics.py src/math   (writes both files)
"""
import os, re, struct, sys

TEXMF = "/usr/share/texlive/texmf-dist"
KATEX = "/usr/share/fonts/truetype/katex"

# amssymb command -> Unicode (the character KaTeX_AMS draws it as)
UNI = {
    # AMSa (msam)
    "boxdot": 0x22A1, "boxplus": 0x229E, "boxtimes": 0x22A0, "square": 0x25A1,
    "blacksquare": 0x25A0, "lozenge": 0x25CA, "blacklozenge": 0x29EB,
    "circlearrowright": 0x21BB, "circlearrowleft": 0x21BA, "leftrightharpoons": 0x21CB,
    "boxminus": 0x229F, "Vdash": 0x22A9, "Vvdash": 0x22AA, "vDash": 0x22A8,
    "twoheadrightarrow": 0x21A0, "twoheadleftarrow": 0x219E, "leftleftarrows": 0x21C7,
    "rightrightarrows": 0x21C9, "upuparrows": 0x21C8, "downdownarrows": 0x21CA,
    "upharpoonright": 0x21BE, "downharpoonright": 0x21C2, "upharpoonleft": 0x21BF,
    "downharpoonleft": 0x21C3, "rightarrowtail": 0x21A3, "leftarrowtail": 0x21A2,
    "leftrightarrows": 0x21C6, "rightleftarrows": 0x21C4, "Lsh": 0x21B0, "Rsh": 0x21B1,
    "rightsquigarrow": 0x21DD, "leftrightsquigarrow": 0x21AD, "looparrowleft": 0x21AB,
    "looparrowright": 0x21AC, "circeq": 0x2257, "succsim": 0x227F, "gtrsim": 0x2273,
    "gtrapprox": 0x2A86, "multimap": 0x22B8, "therefore": 0x2234, "because": 0x2235,
    "doteqdot": 0x2251, "Doteq": 0x2251, "triangleq": 0x225C, "precsim": 0x227E,
    "lesssim": 0x2272, "lessapprox": 0x2A85, "eqslantless": 0x2A95, "eqslantgtr": 0x2A96,
    "curlyeqprec": 0x22DE, "curlyeqsucc": 0x22DF, "preccurlyeq": 0x227C, "leqq": 0x2266,
    "lessgtr": 0x2276, "backprime": 0x2035, "risingdotseq": 0x2253, "fallingdotseq": 0x2252,
    "succcurlyeq": 0x227D, "geqq": 0x2267, "gtrless": 0x2277, "vartriangleright": 0x22B3,
    "vartriangleleft": 0x22B2, "trianglerighteq": 0x22B5, "trianglelefteq": 0x22B4,
    "bigstar": 0x2605, "between": 0x226C, "blacktriangledown": 0x25BC,
    "blacktriangleright": 0x25B6, "blacktriangleleft": 0x25C0, "vartriangle": 0x25B3,
    "blacktriangle": 0x25B2, "triangledown": 0x25BD, "eqcirc": 0x2256, "lesseqgtr": 0x22DA,
    "gtreqless": 0x22DB, "lesseqqgtr": 0x2A8B, "gtreqqless": 0x2A8C, "Rrightarrow": 0x21DB,
    "Lleftarrow": 0x21DA, "veebar": 0x22BB, "barwedge": 0x22BC, "doublebarwedge": 0x2A5E,
    "measuredangle": 0x2221, "sphericalangle": 0x2222, "smallsmile": 0x2323,
    "smallfrown": 0x2322, "Subset": 0x22D0, "Supset": 0x22D1, "Cup": 0x22D3, "Cap": 0x22D2,
    "curlywedge": 0x22CF, "curlyvee": 0x22CE, "leftthreetimes": 0x22CB,
    "rightthreetimes": 0x22CC, "subseteqq": 0x2AC5, "supseteqq": 0x2AC6, "bumpeq": 0x224F,
    "Bumpeq": 0x224E, "lll": 0x22D8, "ggg": 0x22D9, "circledS": 0x24C8, "pitchfork": 0x22D4,
    "dotplus": 0x2214, "backsim": 0x223D, "backsimeq": 0x22CD, "complement": 0x2201,
    "intercal": 0x22BA, "circledcirc": 0x229A, "circledast": 0x229B, "circleddash": 0x229D,
    "checkmark": 0x2713, "maltese": 0x2720, "centerdot": 0x22C5,
    # AMSb (msbm)
    "lneq": 0x2A87, "gneq": 0x2A88, "nleq": 0x2270, "ngeq": 0x2271, "nless": 0x226E,
    "ngtr": 0x226F, "nprec": 0x2280, "nsucc": 0x2281, "lneqq": 0x2268, "gneqq": 0x2269,
    "lnsim": 0x22E6, "gnsim": 0x22E7, "lnapprox": 0x2A89, "gnapprox": 0x2A8A,
    "precneqq": 0x2AB5, "succneqq": 0x2AB6, "precnsim": 0x22E8, "succnsim": 0x22E9,
    "precnapprox": 0x2AB9, "succnapprox": 0x2ABA, "nsim": 0x2241, "ncong": 0x2247,
    "nmid": 0x2224, "nparallel": 0x2226, "nvdash": 0x22AC, "nvDash": 0x22AD,
    "nVdash": 0x22AE, "nVDash": 0x22AF, "ntriangleright": 0x22EB, "ntriangleleft": 0x22EA,
    "ntrianglelefteq": 0x22EC, "ntrianglerighteq": 0x22ED, "nsubseteq": 0x2288,
    "nsupseteq": 0x2289, "subsetneq": 0x228A, "supsetneq": 0x228B, "subsetneqq": 0x2ACB,
    "supsetneqq": 0x2ACC, "nleftarrow": 0x219A, "nrightarrow": 0x219B, "nLeftarrow": 0x21CD,
    "nRightarrow": 0x21CF, "nleftrightarrow": 0x21AE, "nLeftrightarrow": 0x21CE,
    "divideontimes": 0x22C7, "varnothing": 0x2205, "nexists": 0x2204, "Finv": 0x2132,
    "Game": 0x2141, "mho": 0x2127, "eth": 0x00F0, "eqsim": 0x2242, "beth": 0x2136,
    "gimel": 0x2137, "daleth": 0x2138, "lessdot": 0x22D6, "gtrdot": 0x22D7, "ltimes": 0x22C9,
    "rtimes": 0x22CA, "smallsetminus": 0x2216, "thicksim": 0x223C, "thickapprox": 0x2248,
    "approxeq": 0x224A, "succapprox": 0x2AB8, "precapprox": 0x2AB7,
    "curvearrowleft": 0x21B6, "curvearrowright": 0x21B7, "digamma": 0x03DD,
    "varkappa": 0x03F0, "hslash": 0x210F, "hbar": 0x210F, "backepsilon": 0x220D,
    "Bbbk": 0x006B,   # KaTeX_AMS draws the double-struck k at 'k'
}
CLASS = {"mathord": "C_ORD", "mathbin": "C_BIN", "mathrel": "C_REL", "mathop": "C_OP",
         "mathopen": "C_OPEN", "mathclose": "C_CLOSE", "mathpunct": "C_PUNCT"}


def tfm(path):
    """TFM -> {code: (wd, ht, dp, ic)} in em of the design size."""
    d = open(path, "rb").read()
    lf, lh, bc, ec, nw, nh, nd, ni, nl, nk, ne, np_ = struct.unpack(">12H", d[:24])
    hdr = 24
    ci = hdr + 4 * lh
    wi = ci + 4 * (ec - bc + 1)
    hi = wi + 4 * nw
    di = hi + 4 * nh
    ii = di + 4 * nd
    fix = lambda off: struct.unpack(">i", d[off:off + 4])[0] / float(1 << 20)
    out = {}
    for c in range(bc, ec + 1):
        b = d[ci + 4 * (c - bc): ci + 4 * (c - bc) + 4]
        w, hd, it = b[0], b[1], b[2]
        if w == 0:
            continue
        out[c] = (fix(wi + 4 * w), fix(hi + 4 * (hd >> 4)), fix(di + 4 * (hd & 15)),
                  fix(ii + 4 * (it >> 2)))
    return out


def ttf_cmap(path):
    d = open(path, "rb").read()
    nt = struct.unpack(">H", d[4:6])[0]
    tabs = {}
    for i in range(nt):
        tag, _, off, ln = struct.unpack(">4sIII", d[12 + 16 * i:28 + 16 * i])
        tabs[tag] = off
    off = tabs[b"cmap"]
    cps = set()
    for i in range(struct.unpack(">H", d[off + 2:off + 4])[0]):
        _, _, so = struct.unpack(">HHI", d[off + 4 + 8 * i:off + 12 + 8 * i])
        t = off + so
        if struct.unpack(">H", d[t:t + 2])[0] != 4:
            continue
        sx = struct.unpack(">H", d[t + 6:t + 8])[0]
        ends = struct.unpack(">%dH" % (sx // 2), d[t + 14:t + 14 + sx])
        starts = struct.unpack(">%dH" % (sx // 2), d[t + 16 + sx:t + 16 + 2 * sx])
        for s, e in zip(starts, ends):
            if s != 0xFFFF:
                cps.update(range(s, e + 1))
    return cps


def declared():
    """(cmd, class, AMSa/AMSb, code) from amssymb.sty and amsfonts.sty."""
    out = {}
    for sty in ("tex/latex/amsfonts/amsfonts.sty", "tex/latex/amsfonts/amssymb.sty"):
        for m in re.finditer(r'^\s*\\(?:ams@)?DeclareMathSymbol\{\\(\w+)\}\s*\{\\(\w+)\}'
                             r'\{(AMS[ab])\}\{"([0-9A-F]{2})\}', open(os.path.join(TEXMF, sty)).read(),
                             re.M):
            out[m.group(1)] = (m.group(2), m.group(3), int(m.group(4), 16))
    # \checkmark is \mathhexbox{AMSa}{58}: a box, an Ord in math
    out["checkmark"] = ("mathord", "AMSa", 0x58)
    return out


def existing(srcdir):
    names = set(re.findall(r'SYM\("(\w+)"', open(os.path.join(srcdir, "math_symbols.c")).read()))
    names |= set(re.findall(r'IS\("(\w+)"\)', open(os.path.join(srcdir, "math_pcmd.c")).read()))
    names.discard("hbar")   # amssymb's \hbar replaces LaTeX's (as pdflatex with amssymb)
    return names


def main():
    srcdir = sys.argv[1]
    ams = ttf_cmap(os.path.join(KATEX, "KaTeX_AMS-Regular.ttf"))
    tfmdir = os.path.join(TEXMF, "fonts/tfm/public")
    sizes = ("10", "7", "5")
    msam = [tfm(os.path.join(tfmdir, "amsfonts/symbols/msam%s.tfm" % s)) for s in sizes]
    msbm = [tfm(os.path.join(tfmdir, "amsfonts/symbols/msbm%s.tfm" % s)) for s in sizes]
    eufm = [tfm(os.path.join(tfmdir, "amsfonts/euler/eufm%s.tfm" % s)) for s in sizes]
    rsfs = [tfm(os.path.join(tfmdir, "rsfs/rsfs%s.tfm" % s)) for s in sizes]
    have = existing(srcdir)
    rows = []   # (face, cp, [per size (wd, ht, dp, ic)])
    syms = []
    for cmd, (cls, fnt, code) in sorted(declared().items()):
        if cmd in have or cmd not in UNI or UNI[cmd] not in ams or cls not in CLASS:
            continue
        t = msam if fnt == "AMSa" else msbm
        if code not in t[0]:
            continue
        syms.append((cmd, CLASS[cls], UNI[cmd]))
        rows.append((0, UNI[cmd], [t[k][code] for k in range(3)]))
    for c in range(ord("A"), ord("Z") + 1):   # \mathbb: msbm's capitals
        rows.append((0, c, [msbm[k][c] for k in range(3)]))
    for c in sorted(eufm[0]):   # \mathfrak: letters, digits and the rest eufm has
        if 0x21 <= c <= 0x7E and c in eufm[1] and c in eufm[2]:
            rows.append((1, c, [eufm[k][c] for k in range(3)]))
    for c in range(ord("A"), ord("Z") + 1):
        rows.append((2, c, [rsfs[k][c] for k in range(3)]))
    rows.sort(key=lambda r: (r[0], r[1]))
    with open(os.path.join(srcdir, "math_ttfmetrics.inc"), "w") as f:
        f.write("/* Generated by tests/tools/gen_ttf_metrics.py: TeX metrics (em) of the\n"
                " * TrueType math fonts' characters at 10, 7 and 5 pt, from msam/msbm,\n"
                " * eufm and rsfs TFMs.  face: 0 KaTeX_AMS, 1 KaTeX_Fraktur, 2 KaTeX_Script.\n"
                " * Sorted by (face, cp).  Do not edit. */\n")
        for face, cp, m in rows:
            f.write("    { %d, 0x%04X, { %s } },\n" % (face, cp, ", ".join(
                "{ %.6f, %.6f, %.6f, %.6f }" % x for x in m)))
    with open(os.path.join(srcdir, "math_amssym.inc"), "w") as f:
        f.write("/* Generated by tests/tools/gen_ttf_metrics.py: amssymb's symbols that\n"
                " * KaTeX_AMS draws (class from amssymb.sty / amsfonts.sty).  Do not edit. */\n")
        for cmd, cls, cp in syms:
            f.write('    SYM("%s", %s, FAM_BB, "%s"),\n' % (cmd, cls, chr(cp)))
    print("%d metrics rows, %d symbols" % (len(rows), len(syms)), file=sys.stderr)


if __name__ == "__main__":
    main()
