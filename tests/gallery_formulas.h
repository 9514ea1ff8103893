/* gallery_formulas — every formula of the source material (backprop, softmax,
 * cross-entropy, MLE/NLL, entropy/KL, BCE, the GAN loss family) plus the
 * environments; shared by test_math.c (parse + layout) and
 * test_math_gallery.c (PDF).  mode: 'D' display, 'T' text style. */
#ifndef LB_GALLERY_FORMULAS_H
#define LB_GALLERY_FORMULAS_H

typedef struct gallery_formula { char mode; const char *tex; } gallery_formula;

static const gallery_formula GALLERY[] = {
    /* backpropagation */
    { 'D', "\\delta^L = \\nabla_a C \\odot \\sigma'(z^L)" },
    { 'D', "\\delta^l = ((W^{l+1})^T \\delta^{l+1}) \\odot \\sigma'(z^l)" },
    { 'D', "\\frac{\\partial C}{\\partial b^l_j} = \\delta^l_j, \\qquad "
           "\\frac{\\partial C}{\\partial w^l_{jk}} = a^{l-1}_k \\delta^l_j" },
    { 'D', "\\frac{\\partial C}{\\partial \\mathbf{W}^{(l)}} = "
           "\\boldsymbol{\\delta}^{(l)} (\\mathbf{a}^{(l-1)})^\\top" },
    { 'D', "z^{(l)}_j = \\sum_{k=1}^{n_{l-1}} w^{(l)}_{jk} a^{(l-1)}_k + b^{(l)}_j" },
    { 'D', "\\delta^{(l)}_j = \\left( \\sum_{k=1}^{n_{l+1}} w^{(l+1)}_{kj} "
           "\\delta^{(l+1)}_k \\right) \\cdot \\sigma'(z^{(l)}_j)" },
    { 'D', "w^{(l)}_{jk} \\leftarrow w^{(l)}_{jk} - \\eta \\cdot "
           "\\frac{\\partial C}{\\partial w^{(l)}_{jk}}" },
    { 'D', "C = \\frac{1}{2} \\sum_{j=1}^{n_L} (a^{(L)}_j - y_j)^2" },
    /* softmax, log-sum-exp */
    { 'D', "\\operatorname{softmax}(\\mathbf{z})_i = \\frac{e^{z_i}}{\\sum_{j=1}^{K} e^{z_j}}" },
    { 'T', "\\operatorname{softmax}(\\mathbf{z})_i = \\frac{e^{z_i}}{\\sum_{j=1}^{K} e^{z_j}}" },
    { 'D', "\\log \\sum_{j=1}^{K} e^{z_j} = m + \\log \\sum_{j=1}^{K} e^{z_j - m}, "
           "\\quad m = \\max_j z_j" },
    { 'D', "\\log \\operatorname{softmax}(\\mathbf{z})_i = z_i - "
           "\\log \\sum_{j} \\exp(z_j)" },
    { 'D', "p_0 = \\frac{9.0250}{15.7419} \\approx 0.5733" },
    /* cross-entropy, entropy, KL */
    { 'D', "H(P, Q) = -\\sum_{x} P(x) \\log Q(x)" },
    { 'D', "H(P, Q) = H(P) + D_{\\mathrm{KL}}(P \\parallel Q)" },
    { 'D', "D_{\\mathrm{KL}}(P \\,\\|\\, Q) = \\sum_x P(x) \\log \\frac{P(x)}{Q(x)} \\geq 0" },
    { 'D', "\\mathcal{L} = -\\log p_y = -z_y + \\log \\sum_{j=1}^{K} e^{z_j}" },
    { 'D', "\\frac{\\partial \\mathcal{L}}{\\partial z_i} = p_i - y_i" },
    /* MLE -> log-likelihood -> NLL */
    { 'D', "\\hat{\\theta}_{\\mathrm{MLE}} = \\arg\\max_{\\theta} "
           "\\prod_{i=1}^{N} p(x_i \\mid \\theta)" },
    { 'D', "\\hat{\\theta} = \\arg\\max_{\\theta} \\sum_{i=1}^{N} \\log p(x_i \\mid \\theta) "
           "= \\arg\\min_{\\theta} \\left( -\\frac{1}{N} \\sum_{i=1}^{N} "
           "\\log p(x_i \\mid \\theta) \\right)" },
    { 'D', "\\mathcal{L}_{\\mathrm{NLL}}(\\theta) = -\\frac{1}{N} \\sum_{i=1}^{N} "
           "\\log p_{\\theta}(y_i \\mid x_i)" },
    /* LLM objective */
    { 'D', "\\mathcal{L}(\\theta) = -\\frac{1}{B\\,T} \\sum_{b=1}^{B} \\sum_{t=1}^{T} "
           "\\log p_{\\theta}(w_{b,t} \\mid w_{b,<t})" },
    { 'D', "P(w_t = c \\mid w_{<t}; \\theta) = \\sigma(z_{c}^{(t)}) = "
           "\\frac{e^{z_{c}^{(t)}}}{\\sum_{j=1}^{K} e^{z_j^{(t)}}}" },
    /* BCE */
    { 'D', "\\mathcal{L}_{\\mathrm{BCE}} = -\\frac{1}{N} \\sum_{i=1}^{N} \\left[ y_i "
           "\\log \\hat{y}_i + (1 - y_i) \\log(1 - \\hat{y}_i) \\right]" },
    { 'D', "\\ell(y, \\hat{y}) = \\begin{cases} -\\log \\hat{y} & \\text{if } y = 1, \\\\ "
           "-\\log(1 - \\hat{y}) & \\text{if } y = 0. \\end{cases}" },
    /* GAN family */
    { 'D', "\\min_G \\max_D V(D, G) = \\mathbb{E}_{x \\sim p_{\\text{data}}}[\\log D(x)] "
           "+ \\mathbb{E}_{z \\sim p_z}[\\log(1 - D(G(z)))]" },
    { 'D', "\\mathcal{L}_G^{\\mathrm{NS}} = -\\mathbb{E}_{z \\sim p_z}[\\log D(G(z))]" },
    { 'D', "\\min_G \\max_{\\lVert D \\rVert_L \\leq 1} \\mathbb{E}_{x \\sim p_r}[D(x)] "
           "- \\mathbb{E}_{z \\sim p_z}[D(G(z))]" },
    { 'D', "L = \\mathbb{E}_{\\tilde{x} \\sim p_g}[D(\\tilde{x})] - "
           "\\mathbb{E}_{x \\sim p_r}[D(x)] + \\lambda \\, \\mathbb{E}_{\\hat{x} \\sim "
           "p_{\\hat{x}}}\\left[ (\\lVert \\nabla_{\\hat{x}} D(\\hat{x}) \\rVert_2 - 1)^2 \\right]" },
    { 'D', "\\min_D \\tfrac{1}{2} \\mathbb{E}_{x \\sim p_{\\text{data}}}[(D(x) - b)^2] "
           "+ \\tfrac{1}{2} \\mathbb{E}_{z \\sim p_z}[(D(G(z)) - a)^2]" },
    { 'D', "L_D = \\mathbb{E}[\\max(0, 1 - D(x))] + \\mathbb{E}[\\max(0, 1 + D(G(z)))], "
           "\\quad L_G = -\\mathbb{E}[D(G(z))]" },
    { 'D', "\\tilde{D}(x_r, x_f) = \\sigma\\big(C(x_r) - \\mathbb{E}_{x_f}[C(x_f)]\\big)" },
    { 'D', "L_D^{Ra} = -\\mathbb{E}_{x_r}[\\log D_{Ra}(x_r, x_f)] - "
           "\\mathbb{E}_{x_f}[\\log(1 - D_{Ra}(x_f, x_r))]" },
    { 'D', "L_G = L_{\\text{percep}} + \\lambda L_G^{Ra} + \\eta L_1" },
    /* environments and the rest of the subset */
    { 'D', "\\begin{aligned} \\mathcal{L} &= -\\log p_y \\\\ "
           "&= -z_y + \\log \\sum_{j} e^{z_j} \\end{aligned}" },
    { 'D', "\\mathbf{z} = \\begin{pmatrix} 2.0 \\\\ 1.0 \\\\ 0.1 \\end{pmatrix}, \\quad "
           "A = \\begin{bmatrix} a & b \\\\ c & d \\end{bmatrix}" },
    { 'D', "\\sqrt{x^2 + y^2} \\neq \\int_0^1 f(x)\\,dx, \\quad "
           "\\underbrace{a + b}_{\\text{sum}}, \\quad \\lim_{n \\to \\infty} \\frac{1}{n} = 0" },
    { 'D', "\\Big( \\bigl[ x \\bigr] \\Big) \\quad \\left\\{ x \\in \\mathbb{R} \\;\\middle|\\; "
           "x > 0 \\right\\} \\quad \\left\\langle u, v \\right\\rangle" },
    { 'T', "\\sum_{i=1}^{n} x_i \\quad \\prod_{i} p_i \\quad \\max_{D} V \\quad "
           "x_1, \\ldots, x_n \\quad a \\cdots b" },
    { 'D', "\\alpha\\beta\\gamma\\delta\\epsilon\\varepsilon\\zeta\\eta\\theta\\vartheta"
           "\\iota\\kappa\\lambda\\mu\\nu\\xi\\pi\\rho\\sigma\\tau\\upsilon\\phi\\varphi"
           "\\chi\\psi\\omega \\; \\Gamma\\Delta\\Theta\\Lambda\\Xi\\Pi\\Sigma\\Upsilon"
           "\\Phi\\Psi\\Omega" },
    { 'D', "\\hat{a} \\bar{x} \\tilde{y} \\vec{v} \\dot{x} \\quad a \\leq b \\geq c \\approx d "
           "\\equiv e \\sim f \\propto g \\to h \\Rightarrow i \\mapsto j \\notin k \\subset l" },
    /* stress: radicals, nesting, tall delimiters, scripts on scripts */
    { 'D', "\\sqrt{\\frac{a}{b}} \\quad \\sqrt{\\sum_{i=1}^{n} x_i^2} \\quad "
           "\\left[ \\frac{\\frac{1}{2}}{1 + \\frac{1}{x}} \\right] \\quad "
           "\\left\\lVert \\frac{\\partial \\mathcal{L}}{\\partial \\theta} \\right\\rVert_2" },
    { 'D', "\\sqrt[3]{x} + \\sqrt[n]{1 + x^2} \\quad \\int_0^\\infty e^{-x^2} \\, dx = \\frac{\\sqrt{\\pi}}{2} \\quad "
           "x^{y^{z}} \\quad a_{i_{j}} \\quad \\sum\\nolimits_{i} \\quad e^{-\\frac{1}{2}x^2}" },
    { 'D', "\\begin{pmatrix} a_{11} & a_{12} & a_{13} \\\\ a_{21} & a_{22} & a_{23} \\\\ "
           "a_{31} & a_{32} & a_{33} \\end{pmatrix} \\begin{pmatrix} x_1 \\\\ x_2 \\\\ x_3 "
           "\\end{pmatrix} = \\Bigg( \\bigg( \\Big( \\big( ( x ) \\big) \\Big) \\bigg) \\Bigg)" },
    { 'T', "p_i = \\frac{e^{z_i}}{\\sum_j e^{z_j}}, \\quad \\mathcal{L} = -\\log p_y, \\quad "
           "\\sigma(x) = \\frac{1}{1 + e^{-x}}, \\quad \\sqrt{2}" },
    { 'D', "\\begin{aligned} \\nabla_{\\theta} \\mathcal{L} &= \\frac{1}{N} \\sum_{i=1}^{N} "
           "\\nabla_{\\theta} \\ell_i \\\\ \\theta &\\leftarrow \\theta - \\eta \\, "
           "\\nabla_{\\theta} \\mathcal{L} \\end{aligned}" },
    /* issue 14: amsmath commands and environments */
    { 'D', "\\binom{n}{k} = \\frac{n!}{k!\\,(n-k)!}, \\quad \\tbinom{N}{2}, \\quad "
           "\\cfrac{1}{1 + \\cfrac{1}{1 + x}}, \\quad a \\bmod b, \\quad a \\equiv b \\pmod{m}" },
    { 'D', "a \\xrightarrow{f} b \\xleftarrow[\\text{back}]{g} c, \\quad "
           "\\underset{\\theta}{\\arg\\min}\\, \\mathcal{L} \\overset{\\text{def}}{=} "
           "\\stackrel{!}{=} 0" },
    { 'D', "\\boxed{\\mathcal{L} = -\\log p_y} \\quad \\phantom{x} \\hphantom{y} \\vphantom{\\sum} "
           "\\smash{\\sum_i} \\quad \\underline{a + b} \\quad \\overrightarrow{AB} \\quad "
           "\\overleftarrow{v} \\quad \\mathring{a} \\quad \\pmb{x}" },
    { 'D', "x \\implies y \\iff z \\impliedby w, \\quad f \\longrightarrow g \\longleftarrow h "
           "\\Longrightarrow i \\Longleftarrow j \\longleftrightarrow k \\longmapsto l "
           "\\hookrightarrow m \\hookleftarrow n" },
    { 'D', "a \\leqslant b \\geqslant c, \\quad x \\coloneqq 2, \\quad \\iint_D f\\,dA + \\iiint_V g "
           "+ \\arctan x + \\arcsin y + \\sec z + \\cot w, \\quad \\dag \\, \\ddag, \\quad "
           "\\left< u, v \\right>" },
    { 'D', "a \\hspace{1em} b \\kern 2pt c \\mkern 18mu d, \\quad x_1, \\dots, x_n, \\quad "
           "a_1 + \\dots + a_n, \\quad \\cdots % a comment to the end of the line\n" },
    { 'D', "\\begin{array}{|l|c|r|} a & b & c \\\\ 10 & 20 & 30 \\end{array} \\quad "
           "\\begin{Bmatrix} a \\\\ b \\end{Bmatrix} \\begin{Vmatrix} a & b \\end{Vmatrix} "
           "\\left(\\begin{smallmatrix} a & b \\\\ c & d \\end{smallmatrix}\\right) \\quad "
           "\\begin{gathered} a = b \\\\ c = d + e \\end{gathered}" },
    /* issue 14, second round: text families, nested \text, TrueType fonts,
     * amssymb, colour, \cancel, \cong, equation numbers' commands */
    { 'D', "\\mathit{diff} + \\mathsf{Attn}(Q, K, V) + \\mathtt{logits}_{\\mathtt{ij}} + "
           "\\mathrm{fluff}, \\quad \\text{if \\textbf{bold}, \\textit{it}, \\textsf{sans}, "
           "\\texttt{mono}, \\emph{emph} and $\\alpha_i$}" },
    { 'D', "\\mathfrak{g} + \\mathfrak{so}_{\\mathfrak{n}} + \\mathscr{L} + \\mathscr{F} + "
           "\\mathbb{E}_{x \\sim p}[\\mathbb{R}^n] + \\Bbbk" },
    { 'D', "x \\lesssim y \\gtrsim z, \\quad \\varnothing, \\quad a \\nleq b \\triangleq c, "
           "\\quad \\mathbf{x}^\\intercal, \\quad \\checkmark \\; \\square \\; \\hbar, "
           "\\quad A \\cong B, \\quad A \\subsetneq B \\nsubseteq C \\therefore" },
    { 'D', "\\color{red}{\\mathcal{L}} = -\\textcolor{blue}{\\log p_y} + "
           "\\cancel{\\lambda \\lVert \\theta \\rVert^2} + \\color{teal}{\\tfrac12} x \\allowbreak "
           "+ \\eqref{eq:x}" },
};

#define GALLERY_N (sizeof GALLERY / sizeof GALLERY[0])

#endif
