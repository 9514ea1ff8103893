#!/usr/bin/env python3
"""Side-by-side box metrics: lossbook's math layout vs pdflatex (amsmath).

Usage: bench/mathcmp/compare.py [--handout FILE] [--formulas FILE] [--all]
                                [--tol PCT] [--only REGEX]

Typesets every formula of bench/mathcmp/formulas.txt (lines "D<TAB>tex" or
"T<TAB>tex") and every $$...$$ display of the handout template both ways:
lossbook through bench/mathcmp/mathbox.c (math_layout at 10 pt), pdflatex as
\\setbox0\\hbox{$\\displaystyle ...$} in a 10 pt article with amsmath,
amssymb and lmodern, reading \\wd0 \\ht0 \\dp0 from the log.  Prints width,
height and depth of each, and the differences in per cent; exits 1 when a
width or height differs by more than --tol per cent (default 0.5).

A development tool: needs pdflatex (Debian texlive-latex-base,
texlive-latex-recommended, texlive-fonts-recommended, lmodern); neither
`make report` nor `make test` runs it.  Build lossbook first (make all).
"""
import argparse, os, re, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LIBS = ["-lhpdf", "-lmd4c", "-lcjson", "-lexpat", "-lm"]
PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage{amsmath,amssymb,lmodern}
% not mathtools: it redefines \underbrace and \overbrace; its \coloneqq:
\providecommand*\vcentcolon{\mathrel{\mathop{:}}}
\providecommand*\coloneqq{\vcentcolon\mathrel{\mkern-1.2mu}=}
\providecommand\cancel[1]{#1}% cancel.sty is in texlive-latex-extra; it draws over its argument, the box is unchanged
\usepackage{mathrsfs}
\usepackage{xcolor}
\batchmode
\begin{document}
"""


def handout_displays(path):
    """Every $$...$$ display of a Markdown template, in order."""
    text = open(path, encoding="utf-8").read()
    out = []
    for m in re.finditer(r"\$\$(.*?)\$\$", text, re.S):
        body = m.group(1).strip()
        if body:
            line = text.count("\n", 0, m.start()) + 1
            out.append(("D", body, "handout:%d" % line))
    return out


def read_formulas(path):
    out = []
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        raw = raw.rstrip("\n")
        if not raw or raw.startswith("#") or len(raw) < 2 or raw[1] != "\t":
            continue
        out.append((raw[0], raw[2:], "formulas:%d" % n))
    return out


def lossbook(forms, tmp):
    exe = os.path.join(tmp, "mathbox")
    subprocess.run(["gcc", "-std=c11", "-D_POSIX_C_SOURCE=200809L", "-iquote",
                    os.path.join(ROOT, "src"), "-o", exe,
                    os.path.join(ROOT, "bench", "mathcmp", "mathbox.c"),
                    os.path.join(ROOT, "build", "liblossbook.a")] + LIBS, check=True)
    # records end in NUL: a display keeps its line ends (and % comments)
    inp = "".join("%s\t%s\0" % (m, t) for m, t, _ in forms)
    r = subprocess.run([exe], input=inp, capture_output=True, text=True, check=True)
    res = {}
    for line in r.stdout.splitlines():
        p = line.split(None, 1)
        res[int(p[0])] = p[1]
    return res


def pdflatex(forms, tmp):
    body = []
    for i, (m, t, _) in enumerate(forms, 1):
        style = r"\displaystyle" if m == "D" else r"\textstyle"
        body.append("\\typeout{MSTART %d}\n\\setbox0\\hbox{$%s %s\n$}"
                    "\\typeout{MBOX %d \\the\\wd0;\\the\\ht0;\\the\\dp0}\n"
                    % (i, style, t, i))
    src = PREAMBLE + "".join(body) + "\\end{document}\n"
    with open(os.path.join(tmp, "f.tex"), "w", encoding="utf-8") as f:
        f.write(src)
    subprocess.run(["pdflatex", "-interaction=batchmode", "f.tex"], cwd=tmp,
                   capture_output=True)
    log = open(os.path.join(tmp, "f.log"), encoding="latin-1").read()
    res, cur, bad = {}, None, set()
    for line in log.splitlines():
        m = re.match(r"MSTART (\d+)", line)
        if m:
            cur = int(m.group(1))
            continue
        if line.startswith("! ") and cur:
            bad.add(cur)
        m = re.match(r"MBOX (\d+) ([-\d.]+)pt;([-\d.]+)pt;([-\d.]+)pt", line)
        if m:
            i = int(m.group(1))
            res[i] = None if i in bad else tuple(float(m.group(k)) for k in (2, 3, 4))
    return res


def pct(a, b):
    if abs(b) < 1e-9:
        return 0.0 if abs(a) < 0.005 else float("inf")
    return 100.0 * (a - b) / b


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--handout", default=os.path.join(ROOT, "templates", "handout.md"))
    ap.add_argument("--formulas", default=os.path.join(ROOT, "bench", "mathcmp", "formulas.txt"))
    ap.add_argument("--tol", type=float, default=0.5)
    ap.add_argument("--only", default=None)
    ap.add_argument("--quiet", action="store_true", help="print only the summary and failures")
    ap.add_argument("--emit-c", action="store_true",
                    help="print pdflatex's boxes as C initialisers (for tests/test_math_tex.c)")
    a = ap.parse_args()
    forms = read_formulas(a.formulas) + handout_displays(a.handout)
    if a.only:
        forms = [f for f in forms if re.search(a.only, f[1]) or re.search(a.only, f[2])]
    with tempfile.TemporaryDirectory(prefix="lb-mathcmp-") as tmp:
        lb = lossbook(forms, tmp)
        tx = pdflatex(forms, tmp)
    if a.emit_c:
        for i, (m, t, where) in enumerate(forms, 1):
            x = tx.get(i)
            if x:
                esc = t.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
                print('    { \'%s\', "%s", %.5f, %.5f, %.5f },' % (m, esc, x[0], x[1], x[2]))
        return 0
    nbad = nok = 0
    print("%-14s %8s %8s %7s | %7s %7s %7s | %6s %6s %6s  %s"
          % ("where", "W lb", "W tex", "dW%", "H lb", "H tex", "dH%", "D lb", "D tex", "dD%", "formula"))
    for i, (m, t, where) in enumerate(forms, 1):
        short = " ".join(t.split())
        short = short if len(short) <= 60 else short[:57] + "..."
        l, x = lb.get(i), tx.get(i)
        if l is None or l.startswith("ERR") or x is None:
            nbad += 1
            print("%-14s %s | tex %s  %s" % (where, l, "ERR" if x is None else "ok", short))
            continue
        w, h, d = (float(v) for v in l.split())
        dw, dh, dd = pct(w, x[0]), pct(h, x[1]), pct(d, x[2])
        ok = abs(dw) <= a.tol and abs(dh) <= a.tol and (abs(dd) <= a.tol or abs(d - x[2]) < 0.02)
        nok += ok
        nbad += not ok
        if not a.quiet or not ok:
            print("%-14s %8.3f %8.3f %+7.2f | %7.3f %7.3f %+7.2f | %6.3f %6.3f %+6.1f %s %s"
                  % (where, w, x[0], dw, h, x[1], dh, d, x[2], dd, " " if ok else "*", short))
    print("%d formulas: %d within %.2f %% (width, height, depth), %d not"
          % (len(forms), nok, a.tol, nbad))
    return 1 if nbad else 0


if __name__ == "__main__":
    sys.exit(main())
