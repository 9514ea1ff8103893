#!/usr/bin/python3
"""The yardstick for lossbook's whole run: what a user without lossbook
would write to draw the handout's eight figures with matplotlib, from the same
data files (lossbook's data/*.dat), each as lossbook writes them: a
1600x1000 PNG, a 400x250 pt SVG and a 1600x1000 PNG with a transparent
background and light ink for dark pages (NAME.dark.png), in the same styles
(Latin Modern when matplotlib finds it).

usage: mpl_figures.py DATADIR OUTDIR
Timed from outside as one process (interpreter start and imports included,
as a user pays them).
"""
import os
import sys

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

plt.rcParams.update({
    "font.family": "serif",
    "font.serif": ["Latin Modern Roman", "DejaVu Serif"],
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#d8d8d8",
    "grid.linewidth": 0.4,
    "svg.fonttype": "none",
})
BLUE, ORANGE, GREEN, RED = "#1b4f9c", "#d9541e", "#2a8a3a", "#7a1f3d"


def load(datadir, name):
    return np.loadtxt(os.path.join(datadir, name + ".dat"), comments="#", ndmin=2)


def save(fig, outdir, name):
    fig.savefig(os.path.join(outdir, name + ".svg"))
    fig.savefig(os.path.join(outdir, name + ".png"), dpi=288)  # 400x250 pt -> 1600x1000 px
    ink = "#e6e6e6"   # the dark variant: light text, axes and grid, no background
    for ax in fig.axes:
        ax.title.set_color(ink)
        ax.xaxis.label.set_color(ink)
        ax.yaxis.label.set_color(ink)
        ax.tick_params(colors=ink)
        ax.grid(color="#4d4d4d")
        for sp in ax.spines.values():
            sp.set_color("#bdbdbd")
        for t in ax.texts:
            t.set_color(ink)
        leg = ax.get_legend()
        if leg:
            for t in leg.get_texts():
                t.set_color(ink)
    fig.savefig(os.path.join(outdir, name + ".dark.png"), dpi=288, transparent=True)
    plt.close(fig)


def figure():
    return plt.subplots(figsize=(400 / 72, 250 / 72))


def main():
    datadir, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)

    d = load(datadir, "exp")
    fig, ax = figure()
    ax.plot(d[:, 0], d[:, 1], color=BLUE, lw=1.6, label="$y = e^x$")
    ax.axhline(0, color="#8c8c8c", lw=0.7, ls=(0, (3, 3)))
    ax.plot([0, 1], [1, np.e], "o", color="#222222", ms=3)
    ax.annotate("(0, 1):  $e^0 = 1$", (0, 1), ha="right", xytext=(-6, 6), textcoords="offset points")
    ax.annotate("(1, e):  $e^1 = e = %.4f$" % np.e, (1, np.e), ha="right", xytext=(-6, 6),
                textcoords="offset points")
    ax.set(title="The exponential function $y = e^x$", xlabel="$x$", ylabel="$y$",
           xlim=(-2, 2), ylim=(-0.8, 8))
    ax.legend(loc="upper left")
    save(fig, outdir, "exp")

    for name, cols in (("softmax3", 3), ("softmax4", 4)):
        d = load(datadir, name)
        fig, ax = figure()
        for k, (c, ls) in enumerate(zip((BLUE, ORANGE, GREEN, RED), ("-", "--", ":", "-."))):
            if k < cols:
                ax.plot(d[:, 0], d[:, k + 1], color=c, ls=ls, lw=1.6, label="$p_%d$" % (k + 1))
        ax.set(title="Softmax of [2, 1, z%s]" % (", z" if cols == 4 else ""),
               xlabel="$z$", ylabel="probability", ylim=(0, 1))
        ax.legend(loc="center left")
        save(fig, outdir, name)

    d = load(datadir, "logp")
    fig, ax = figure()
    ax.plot(d[:, 0], d[:, 1], color=BLUE, lw=1.6, label=r"$\log p$")
    ax.plot(d[:, 0], d[:, 2], color=ORANGE, ls="--", lw=1.6, label=r"$-\log p$")
    ax.set(title=r"$\log p$ and $-\log p$", xlabel="$p$", xlim=(0, 1))
    ax.legend()
    save(fig, outdir, "logp")

    d = load(datadir, "neglogp")
    fig, ax = figure()
    ax.plot(d[:, 0], d[:, 1], color=BLUE, lw=1.6, label=r"$-\log p$")
    ax.set(title=r"The loss $-\log p$", xlabel="$p$", ylabel="loss", xlim=(0, 1), ylim=(0, 9.5))
    ax.legend()
    save(fig, outdir, "neglogp")

    d = load(datadir, "points")
    fig, ax = figure()
    p = np.linspace(1e-3, 1, 500)
    ax.plot(p, -np.log(p), color=BLUE, lw=1.6, label=r"$-\log p$")
    ax.plot(d[:, 1], d[:, 2], "o", color=RED, ms=3)
    ax.axhline(d[0, 3], color=ORANGE, ls="--", lw=1.0, label="mean %.4f" % d[0, 3])
    for n, pt, loss in d[:12, :3]:
        ax.annotate("%d" % n, (pt, loss), xytext=(4, 4), textcoords="offset points", fontsize=8)
    ax.set(title="The worked example's positions", xlabel="$p$ of the target", ylabel="loss",
           xlim=(0, 1))
    ax.legend()
    save(fig, outdir, "points")

    d = load(datadir, "losshist")
    fig, ax = figure()
    ax.bar((d[:, 0] + d[:, 1]) / 2, d[:, 2], width=d[:, 1] - d[:, 0], color="#9cc3e6",
           edgecolor=BLUE, label="positions")
    ax.axvline(d[0, 3], color=ORANGE, ls="--", lw=1.6, label="mean %.4f" % d[0, 3])
    ax.axvline(d[0, 4], color=GREEN, ls=":", lw=2.0, label="$\\ln V$ = %.4f" % d[0, 4])
    ax.set(title="Worked example: how the losses are spread", xlabel=r"$-\log p_{target}$",
           ylabel="positions", xlim=(0, max(d[-1, 1], d[0, 4] * 1.08)),
           ylim=(0, d[:, 2].max() * 1.25 + 1))
    ax.legend(loc="upper right")
    save(fig, outdir, "losshist")

    d = load(datadir, "randce")
    fig, ax = figure()
    ax.set_xscale("log")
    ax.plot(d[:, 0], d[:, 1], "o-", color=BLUE, lw=1.6, ms=3, label="$\\ln V$ (uniform guess)")
    ax.plot(d[:, 0], d[:, 2], "s--", color=ORANGE, lw=1.6, ms=3, label=r"random logits, $\sigma = 1$")
    ax.plot(d[:, 0], d[:, 3], "D-.", color=RED, lw=1.3, ms=3, label=r"random logits, $\sigma = 2$")
    ax.plot(d[:, 0], d[:, 4], color="#8c8c8c", lw=0.7, ls=(0, (3, 3)),
            label=r"$\ln V + \sigma^2/2$")
    ax.plot(d[:, 0], d[:, 5], color="#8c8c8c", lw=0.7, ls=(0, (3, 3)))
    ax.set(title="Random logits against the uniform guess $\\ln V$", xlabel="vocabulary size $V$",
           ylabel="loss (nats)", xlim=(1.5, d[:, 0].max() * 1.6), ylim=(0, None))
    ax.legend(loc="upper left")
    save(fig, outdir, "randce")


if __name__ == "__main__":
    main()
