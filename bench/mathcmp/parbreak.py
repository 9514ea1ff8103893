#!/usr/bin/env python3
"""Line breaks of paragraphs with inline math: lossbook vs pdflatex.

Usage: bench/mathcmp/parbreak.py [--paragraphs FILE] [--section N|all] [--french]
                                 [--bin LOSSBOOK] [--keep DIR]

Sets each paragraph twice at the same measure (360 pt), fonts (Latin
Modern 10/12 pt) and paragraph shape (\\parindent 15 pt, the first
paragraph after the heading not indented): lossbook from a one-section
template, pdflatex in an article with amsmath, amssymb, lmodern and
\\textwidth 360pt.  lossbook does not hyphenate, so LaTeX runs with
\\hyphenpenalty 10000 (explicit hyphens still break, \\exhyphenpenalty 50 in
both).  Then it finds each prose word (outside $...$) in both PDFs
(pdftotext -bbox) and compares the line it sits on: the paragraph breaks
where pdflatex breaks it when every word is on the same line.

Paragraphs come from --paragraphs (blank-line separated Markdown with
**bold**, *emphasis*, `code`, "quotes" and $math$; default: the prose
paragraphs of section --section of templates/handout.md, default 3, with
references [x](ref:NAME) printed as "Figure N" in document order).
--french sets \\frenchspacing in LaTeX (no extra space after a full stop),
to tell the two kinds of difference apart.

A development tool: needs pdflatex and poppler-utils; build lossbook first.
"""
import argparse, os, re, subprocess, sys, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def handout_section(path, n):
    text = open(path, encoding="utf-8").read()
    figs = []
    for m in re.finditer(r"!\[[^\]]*\]\(figure:([A-Za-z0-9_]+)", text):
        if m.group(1) not in figs:
            figs.append(m.group(1))
    secs = re.split(r"^# ", text, flags=re.M)
    # secs[0] is the front matter / title, sections are 1-based
    body = secs[n]
    pars = []
    for p in body.split("\n\n")[1:]:
        p = p.strip()
        if not p or p.startswith(("$$", "!", "[", "|", "#", "```", "-", "1.", ">")):
            continue
        # computed values and references to tables print what only lossbook
        # knows: such paragraphs cannot be compared word for word
        if "](value:" in p or re.search(r"\]\(ref:(?!(%s)\))" % "|".join(figs or ["-"]), p):
            continue
        p = re.sub(r"\[[^\]]*\]\(ref:([A-Za-z0-9_/]+)\)",
                   lambda m: "Figure %d" % (figs.index(m.group(1)) + 1)
                   if m.group(1) in figs else m.group(1), p)
        pars.append(" ".join(p.split()))
    return pars


def to_latex(p):
    out, i = [], 0
    parts = re.split(r"(\$[^$]*\$)", p)
    for k, s in enumerate(parts):
        if k % 2:
            out.append(s)
            continue
        s = s.replace("\\", "\\textbackslash{}").replace("&", "\\&").replace("%", "\\%")
        s = s.replace("#", "\\#").replace("_", "\\_")
        s = re.sub(r"`([^`]*)`", r"\\texttt{\1}", s)
        s = re.sub(r"\*\*([^*]+)\*\*", r"\\textbf{\1}", s)
        s = re.sub(r"\*([^*]+)\*", r"\\emph{\1}", s)
        s = re.sub(r'(^|[\s(])"', r"\1``", s)
        s = s.replace('"', "''")
        out.append(s)
    return "".join(out)


def prose_words(p):
    words = []
    for k, s in enumerate(re.split(r"\$[^$]*\$", p)):
        s = re.sub(r"[*`\"]", "", s)
        for w in s.split():
            w = w.strip(".,;:()")
            if re.fullmatch(r"[A-Za-z]{3,}", w):
                words.append(w)
    return words


def pdf_words(pdf):
    """Words of page 1 in reading order: (yMax, text letters only)."""
    r = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", pdf, "-"],
                       capture_output=True, text=True, check=True)
    return [(float(m.group(1)), re.sub(r"[^A-Za-z]", "", m.group(2)))
            for m in re.finditer(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" '
                                 r'yMax="([\d.]+)">([^<]*)</word>', r.stdout)]


def assign(pdf, words):
    """Line index (1-based) of each prose word, matched in order; the lines
    are told apart by the baselines of the prose words themselves."""
    seq = pdf_words(pdf)
    ys, j = [], 0
    for w in words:
        while j < len(seq) and seq[j][1] != w:
            j += 1
        ys.append(seq[j][0] if j < len(seq) else None)
        j += 1
    base = sorted({round(y, 0) for y in ys if y is not None})
    lines = []
    for y in base:
        if not lines or y - lines[-1] > 3:
            lines.append(y)
    return [None if y is None else 1 + min(range(len(lines)), key=lambda k: abs(lines[k] - y))
            for y in ys]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--paragraphs")
    ap.add_argument("--section", default="3", help="a section number, or 'all'")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "lossbook"),
                    help="the lossbook binary (another build, for a before/after table)")
    ap.add_argument("--french", action="store_true")
    ap.add_argument("--keep", help="copy both PDFs into this folder")
    a = ap.parse_args()
    if a.paragraphs:
        pars = [" ".join(p.split()) for p in
                open(a.paragraphs, encoding="utf-8").read().split("\n\n") if p.strip()]
    else:
        hand = os.path.join(ROOT, "templates", "handout.md")
        nsec = len(re.findall(r"^# ", open(hand, encoding="utf-8").read(), flags=re.M))
        secs = range(1, nsec + 1) if a.section == "all" else [int(a.section)]
        pars = [p for n in secs for p in handout_section(hand, n)]
    nsame = 0
    with tempfile.TemporaryDirectory(prefix="lb-parbreak-") as tmp:
        for i, p in enumerate(pars, 1):
            tpl = os.path.join(tmp, "p%d.md" % i)
            with open(tpl, "w", encoding="utf-8") as f:
                f.write("# Test\n\n" + p + "\n")
            r = subprocess.run([a.bin, "--quiet", "--out",
                                os.path.join(tmp, "o%d" % i), "--template", tpl],
                               capture_output=True, text=True, cwd=ROOT)
            if r.returncode:
                print("paragraph %d: lossbook failed: %s" % (i, r.stderr.strip()))
                continue
            tex = os.path.join(tmp, "p%d.tex" % i)
            with open(tex, "w", encoding="utf-8") as f:
                f.write("\\documentclass[10pt]{article}\n\\usepackage{amsmath,amssymb,lmodern}\n"
                        "\\usepackage[T1]{fontenc}\\usepackage[protrusion=false,expansion=false]{microtype}\\DisableLigatures[f]{encoding = *, family = *}\n"
                        "\\setlength\\textwidth{360pt}\\setlength\\parindent{15pt}\n"
                        "\\hyphenpenalty=10000 \\pagestyle{empty}%s\n\\begin{document}\n"
                        "\\section{Test}\n%s\n\\end{document}\n"
                        % ("\\frenchspacing" if a.french else "", to_latex(p)))
            subprocess.run(["pdflatex", "-interaction=batchmode", "p%d.tex" % i], cwd=tmp,
                           capture_output=True)
            lbpdf = os.path.join(tmp, "o%d" % i, "report.pdf")
            txpdf = os.path.join(tmp, "p%d.pdf" % i)
            if a.keep:
                os.makedirs(a.keep, exist_ok=True)
                subprocess.run(["cp", lbpdf, os.path.join(a.keep, "lb%d.pdf" % i)])
                subprocess.run(["cp", txpdf, os.path.join(a.keep, "tex%d.pdf" % i)])
            words = prose_words(p)
            la, ta = assign(lbpdf, words), assign(txpdf, words)
            l0 = next((x for x in la if x is not None), 0)
            t0 = next((x for x in ta if x is not None), 0)
            diff = [(w, x, y) for w, x, y in zip(words, la, ta)
                    if x is not None and y is not None and x - l0 != y - t0]
            nl = max(x for x in la if x is not None) - l0 + 1
            nt = max(x for x in ta if x is not None) - t0 + 1
            same = not diff and nl == nt
            nsame += same
            print("paragraph %d (%s...): %d lines lossbook, %d pdflatex: %s"
                  % (i, p[:40], nl, nt, "same breaks" if same else
                     "first difference at '%s' (line %d vs %d)"
                     % (diff[0][0], diff[0][1] - l0 + 1, diff[0][2] - t0 + 1) if diff
                     else "different line count"))
    print("%d of %d paragraphs break where pdflatex breaks them" % (nsame, len(pars)))
    return 0 if nsame == len(pars) else 1


if __name__ == "__main__":
    sys.exit(main())
