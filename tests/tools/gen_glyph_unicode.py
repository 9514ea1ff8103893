#!/usr/bin/env python3
"""Generate src/math/math_glyphuni.inc: glyph name -> Unicode for the
ToUnicode CMaps (src/pdf/pdf_tounicode.c) and the linear text of formulas
(src/math/math_text.c), both through math_unicode.c.

Sources (development machine only; the output is checked in, so neither
`make report` nor `make test` needs them):
  - pdfTeX's glyphtounicode.tex (the Adobe Glyph List plus TeX's names),
    texlive-base: /usr/share/texlive/texmf-dist/tex/generic/pdftex/
  - the Latin Modern AFMs (lmodern): only names of glyphs that have a code
    in a font the program uses, plus the uncoded roman glyphs that
    math_fonts.c gives extra slots, are kept.
On top of those, the TeX math conventions below, per font class (rm: text
and roman math, mi: math italic, sy: math symbols, ex: math extension):
  - cmmi's "phi" is TeX's \\phi, the straight phi symbol U+03D5, and "phi1"
    is \\varphi, U+03C6 (glyphtounicode has them the other way round, which
    swaps them in a copied formula); "epsilon1" (\\epsilon) is U+03F5;
  - big operators and delimiters of every size read as their one
    character (summationdisplay -> U+2211, parenleftBig -> "(", radicalbig
    -> U+221A); extensible pieces as the Unicode bracket pieces;
  - \\mathcal letters (lmsy A-Z) as mathematical script capitals;
  - math-italic letters and old-style digits as plain ASCII (what a person
    types), ligatures (ff, fi, ffi, ...) as their letters.
Usage: tests/tools/gen_glyph_unicode.py > src/math/math_glyphuni.inc
"""
import glob, os, re, sys

G2U = "/usr/share/texlive/texmf-dist/tex/generic/pdftex/glyphtounicode.tex"
AFM = "/usr/share/texmf/fonts/afm/public/lm"
FONTS = {  # class -> AFM files whose coded glyphs are mapped
    "rm": "lmr5 lmr7 lmr8 lmr9 lmr10 lmr12 lmr17 lmbx5 lmbx7 lmbx9 lmbx10 lmbx12 lmbxi10 "
          "lmri9 lmri10 lmtt8 lmtt9 lmtt10 lmss8 lmss9 lmss10 lmss12 lmssbx10 lmtti10".split(),
    "mi": "lmmi5 lmmi7 lmmi10 lmmib5 lmmib7 lmmib10".split(),
    "sy": "lmsy5 lmsy7 lmsy10".split(),
    "ex": ["lmex10"],
}
# uncoded roman glyphs with extra slots (src/math/math_fonts.c S_extra_names)
EXTRA_RM = ("Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega dotlessi dotlessj "
            "circumflex tilde macron dotaccent acute grave breve caron dieresis ring ff ffi ffl").split()

# the AGL maps these to the micro, increment and ohm signs
GREEK_ALL = {"mu": "03BC", "Delta": "0394", "Omega": "03A9"}
GREEK_FIX = {"phi": "03D5", "phi1": "03C6", "epsilon1": "03F5", "epsilon": "03B5",
             "theta1": "03D1", "pi1": "03D6", "rho1": "03F1", "sigma1": "03C2"}
SCRIPT = {"B": "212C", "E": "2130", "F": "2131", "H": "210B", "I": "2110", "L": "2112",
          "M": "2133", "R": "211B"}
SY = {"periodcentered": "22C5", "bullet": "2219", "openbullet": "2218", "bardbl": "2016",
      "bar": "007C", "minus": "2212", "asteriskmath": "2217", "circlecopyrt": "25EF",
      "negationslash": "0338", "mapsto": "21A6", "triangle": "25B3", "triangleinv": "25BD",
      "diamond": "2662", "heart": "2661", "backslash": "005C", "radical": "221A",
      "integral": "222B", "coproduct": "2A3F", "emptyset": "2205",
      "braceleft": "007B", "braceright": "007D"}
MI = {"star": "22C6", "triangleright": "25B7", "triangleleft": "25C1", "vector": "20D7",
      "tie": "2040", "arrowhookleft": "21A9", "arrowhookright": "21AA", "slurbelow": "2323",
      "slurabove": "2322", "flat": "266D", "natural": "266E", "sharp": "266F",
      "arrowlefttophalf": "21BC", "arrowleftbothalf": "21BD", "arrowrighttophalf": "21C0",
      "arrowrightbothalf": "21C1", "less": "003C", "greater": "003E", "slash": "002F",
      "period": "002E", "comma": "002C", "partialdiff": "2202", "lscript": "2113",
      "weierstrass": "2118", "dotlessi": "0131", "dotlessj": "0237"}
EX_BASE = {  # lmex names without their size suffix
    "summation": "2211", "product": "220F", "coproduct": "2210", "integral": "222B",
    "contintegral": "222E", "union": "22C3", "intersection": "22C2", "unionmulti": "2A04",
    "logicaland": "22C0", "logicalor": "22C1", "circleplus": "2A01",
    "circlemultiply": "2A02", "circledot": "2A00", "unionsq": "2A06", "radical": "221A",
    "parenleft": "0028", "parenright": "0029", "bracketleft": "005B", "bracketright": "005D",
    "braceleft": "007B", "braceright": "007D", "angbracketleft": "27E8",
    "angbracketright": "27E9", "floorleft": "230A", "floorright": "230B",
    "ceilingleft": "2308", "ceilingright": "2309", "slash": "002F", "backslash": "005C",
    "hat": "02C6", "tilde": "02DC"}
EX_PIECES = {
    "parenlefttp": "239B", "parenleftex": "239C", "parenleftbt": "239D",
    "parenrighttp": "239E", "parenrightex": "239F", "parenrightbt": "23A0",
    "bracketlefttp": "23A1", "bracketleftex": "23A2", "bracketleftbt": "23A3",
    "bracketrighttp": "23A4", "bracketrightex": "23A5", "bracketrightbt": "23A6",
    "bracelefttp": "23A7", "braceleftmid": "23A8", "braceleftbt": "23A9", "braceex": "23AA",
    "bracerighttp": "23AB", "bracerightmid": "23AC", "bracerightbt": "23AD",
    "vextendsingle": "007C", "vextenddouble": "2016", "arrowvertex": "23D0",
    "arrowvertexdbl": "2016", "arrowtp": "2191", "arrowbt": "2193", "arrowdbltp": "21D1",
    "arrowdblbt": "21D3", "radicalbt": "221A", "radicalvertex": "23B7", "radicaltp": "23BA",
    "bracehtipdownleft": "23DF", "bracehtipdownright": "23DF",
    "bracehtipupleft": "23DE", "bracehtipupright": "23DE"}
SIZE = re.compile(r"(big|Big|bigg|Bigg|text|display|wide|wider|widest)$")


def afm_names(f):
    out = []
    for line in open(os.path.join(AFM, f + ".afm"), encoding="latin-1"):
        m = re.match(r"C (\d+) ; WX \S+ ; N (\S+) ;", line)
        if m:
            out.append(m.group(2))
    return out


def main():
    g2u = {}
    for line in open(G2U, encoding="latin-1"):
        m = re.match(r"\\pdfglyphtounicode\{([^}]+)\}\{([0-9A-F ]+)\}", line)
        if m and m.group(1) not in g2u:
            g2u[m.group(1)] = m.group(2).split()
    tables, missing = {}, []
    for cls, files in FONTS.items():
        names = set()
        for f in files:
            if os.path.exists(os.path.join(AFM, f + ".afm")):
                names.update(afm_names(f))
        if cls == "rm":
            names.update(EXTRA_RM)
        t = {}
        for n in sorted(names):
            u = None
            base = n.split(".")[0]
            if len(base) == 1 and base.isalnum():
                u = ["%04X" % ord(base)]
                if cls == "sy" and base.isupper():   # \mathcal
                    u = [SCRIPT.get(base, "%X" % (0x1D49C + ord(base) - 65))]
            elif base in GREEK_ALL:
                u = [GREEK_ALL[base]]
            elif base in GREEK_FIX and cls in ("mi",):
                u = [GREEK_FIX[base]]
            elif cls == "mi" and base in MI:
                u = [MI[base]]
            elif cls == "sy" and base in SY:
                u = [SY[base]]
            elif cls == "ex" and n in EX_PIECES:
                u = [EX_PIECES[n]]
            elif cls == "ex" and SIZE.sub("", n) in EX_BASE:
                u = [EX_BASE[SIZE.sub("", n)]]
            elif "." in n and base in g2u:          # zero.taboldstyle, ...
                u = g2u[base]
            elif n in g2u:
                u = g2u[n]
            elif re.match(r"uni[0-9A-F]{4}$", n):
                u = [n[3:]]
            if u is None or any(int(x, 16) >= 0xE000 and int(x, 16) < 0xF900 for x in u):
                missing.append("%s:%s" % (cls, n))
                continue
            t[n] = u
        tables[cls] = t
    print("/* math_glyphuni.inc — generated by tests/tools/gen_glyph_unicode.py; do not edit.")
    print(" * Glyph name -> Unicode (UTF-32 code points, up to 3) per font class, sorted")
    print(" * by name (strcmp) for bsearch.  Unmapped: %s */"
          % (" ".join(missing) if missing else "none"))
    for cls in ("rm", "mi", "sy", "ex"):
        print("static const math_guni S_guni_%s[] = {" % cls)
        for n in sorted(tables[cls], key=lambda s: s.encode()):
            u = tables[cls][n]
            print('    { "%s", { %s }, %d },' % (n, ", ".join("0x%s" % x for x in u), len(u)))
        print("};")
    if missing:
        print("unmapped: " + " ".join(missing), file=sys.stderr)


if __name__ == "__main__":
    main()
