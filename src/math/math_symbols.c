/* math_symbols — the command table: name -> class, family, glyph name.
 * Glyph names follow TeX's mathchardefs through the lm-*.enc vectors (e.g.
 * \epsilon is cmmi '017 = "epsilon1", \varepsilon is '042 = "epsilon"). */
#include <string.h>
#include "math/math_int.h"

#define SYM(c, cl, f, n) { c, SK_SYM, cl, { f, n }, { 0, NULL, NULL }, 0 }
#define GRK(c, n) SYM(c, C_ORD, FAM_MI, n)
#define UPG(c) { #c, SK_GREEK_UP, C_ORD, { FAM_RM, #c }, { 0, NULL, NULL }, 0 }
#define BOP(c, n, lim) { c, SK_OP, C_OP, { FAM_EX, n }, { 0, NULL, NULL }, lim }
#define OPN(c, text, lim) { c, SK_OPNAME, C_OP, { FAM_RM, text }, { 0, NULL, NULL }, lim }
#define DEL(c, cl, f, s, l) { c, SK_DELIM, cl, { f, s }, { f, s, l }, 0 }
#define DOTS(c, k) { c, SK_DOTS, C_INNER, { FAM_MI, "period" }, { 0, NULL, NULL }, k }

static const msymdef S_table[] = {
    /* lowercase Greek (math italic) */
    GRK("alpha", "alpha"), GRK("beta", "beta"), GRK("gamma", "gamma"),
    GRK("delta", "delta"), GRK("epsilon", "epsilon1"), GRK("varepsilon", "epsilon"),
    GRK("zeta", "zeta"), GRK("eta", "eta"), GRK("theta", "theta"),
    GRK("vartheta", "theta1"), GRK("iota", "iota"), GRK("kappa", "kappa"),
    GRK("lambda", "lambda"), GRK("mu", "mu"), GRK("nu", "nu"), GRK("xi", "xi"),
    GRK("pi", "pi"), GRK("varpi", "pi1"), GRK("rho", "rho"), GRK("varrho", "rho1"),
    GRK("sigma", "sigma"), GRK("varsigma", "sigma1"), GRK("tau", "tau"),
    GRK("upsilon", "upsilon"), GRK("phi", "phi"), GRK("varphi", "phi1"),
    GRK("chi", "chi"), GRK("psi", "psi"), GRK("omega", "omega"),
    /* uppercase Greek: upright roman like plain TeX; \var...: italic */
    UPG(Gamma), UPG(Delta), UPG(Theta), UPG(Lambda), UPG(Xi), UPG(Pi),
    UPG(Sigma), UPG(Upsilon), UPG(Phi), UPG(Psi), UPG(Omega),
    GRK("varGamma", "Gamma"), GRK("varDelta", "Delta"), GRK("varTheta", "Theta"),
    GRK("varLambda", "Lambda"), GRK("varXi", "Xi"), GRK("varPi", "Pi"),
    GRK("varSigma", "Sigma"), GRK("varUpsilon", "Upsilon"), GRK("varPhi", "Phi"),
    GRK("varPsi", "Psi"), GRK("varOmega", "Omega"),
    /* ordinary symbols */
    SYM("partial", C_ORD, FAM_MI, "partialdiff"), SYM("ell", C_ORD, FAM_MI, "lscript"),
    SYM("imath", C_ORD, FAM_MI, "dotlessi"), SYM("jmath", C_ORD, FAM_MI, "dotlessj"),
    SYM("wp", C_ORD, FAM_MI, "weierstrass"),
    SYM("nabla", C_ORD, FAM_SY, "nabla"), SYM("infty", C_ORD, FAM_SY, "infinity"),
    SYM("prime", C_ORD, FAM_SY, "prime"), SYM("forall", C_ORD, FAM_SY, "universal"),
    SYM("exists", C_ORD, FAM_SY, "existential"), SYM("emptyset", C_ORD, FAM_SY, "emptyset"),
    SYM("neg", C_ORD, FAM_SY, "logicalnot"), SYM("lnot", C_ORD, FAM_SY, "logicalnot"),
    SYM("top", C_ORD, FAM_SY, "latticetop"), SYM("bot", C_ORD, FAM_SY, "perpendicular"),
    SYM("aleph", C_ORD, FAM_SY, "aleph"), SYM("Re", C_ORD, FAM_SY, "Rfractur"),
    SYM("Im", C_ORD, FAM_SY, "Ifractur"), SYM("dagger", C_BIN, FAM_SY, "dagger"),
    SYM("ddagger", C_BIN, FAM_SY, "daggerdbl"), SYM("S", C_ORD, FAM_SY, "section"),
    SYM("triangle", C_ORD, FAM_SY, "triangle"), SYM("backslash", C_ORD, FAM_SY, "backslash"),
    SYM("%", C_ORD, FAM_RM, "percent"), SYM("#", C_ORD, FAM_RM, "numbersign"),
    SYM("&", C_ORD, FAM_RM, "ampersand"), SYM("$", C_ORD, FAM_RM, "dollar"),
    SYM("_", C_ORD, FAM_RM, "underscore"),
    /* binary operators */
    SYM("+", C_BIN, FAM_RM, "plus"), SYM("-", C_BIN, FAM_SY, "minus"),
    SYM("*", C_BIN, FAM_SY, "asteriskmath"), SYM("ast", C_BIN, FAM_SY, "asteriskmath"),
    SYM("pm", C_BIN, FAM_SY, "plusminus"), SYM("mp", C_BIN, FAM_SY, "minusplus"),
    SYM("times", C_BIN, FAM_SY, "multiply"), SYM("cdot", C_BIN, FAM_SY, "periodcentered"),
    SYM("circ", C_BIN, FAM_SY, "openbullet"), SYM("bullet", C_BIN, FAM_SY, "bullet"),
    SYM("odot", C_BIN, FAM_SY, "circledot"), SYM("oplus", C_BIN, FAM_SY, "circleplus"),
    SYM("ominus", C_BIN, FAM_SY, "circleminus"), SYM("otimes", C_BIN, FAM_SY, "circlemultiply"),
    SYM("oslash", C_BIN, FAM_SY, "circledivide"), SYM("div", C_BIN, FAM_SY, "divide"),
    SYM("cup", C_BIN, FAM_SY, "union"), SYM("cap", C_BIN, FAM_SY, "intersection"),
    SYM("setminus", C_BIN, FAM_SY, "backslash"), SYM("wedge", C_BIN, FAM_SY, "logicaland"),
    SYM("land", C_BIN, FAM_SY, "logicaland"), SYM("vee", C_BIN, FAM_SY, "logicalor"),
    SYM("lor", C_BIN, FAM_SY, "logicalor"), SYM("star", C_BIN, FAM_MI, "star"),
    SYM("diamond", C_BIN, FAM_SY, "diamondmath"), SYM("wr", C_BIN, FAM_SY, "wreathproduct"),
    SYM("bigtriangleup", C_BIN, FAM_SY, "triangle"),
    /* relations */
    SYM("=", C_REL, FAM_RM, "equal"), SYM("<", C_REL, FAM_MI, "less"),
    SYM(">", C_REL, FAM_MI, "greater"), SYM(":", C_REL, FAM_RM, "colon"),
    SYM("leq", C_REL, FAM_SY, "lessequal"), SYM("le", C_REL, FAM_SY, "lessequal"),
    SYM("geq", C_REL, FAM_SY, "greaterequal"), SYM("ge", C_REL, FAM_SY, "greaterequal"),
    SYM("ll", C_REL, FAM_SY, "lessmuch"), SYM("gg", C_REL, FAM_SY, "greatermuch"),
    SYM("approx", C_REL, FAM_SY, "approxequal"), SYM("equiv", C_REL, FAM_SY, "equivalence"),
    SYM("sim", C_REL, FAM_SY, "similar"), SYM("simeq", C_REL, FAM_SY, "similarequal"),
    SYM("asymp", C_REL, FAM_SY, "equivasymptotic"),
    SYM("propto", C_REL, FAM_SY, "proportional"),
    SYM("to", C_REL, FAM_SY, "arrowright"), SYM("rightarrow", C_REL, FAM_SY, "arrowright"),
    SYM("leftarrow", C_REL, FAM_SY, "arrowleft"), SYM("gets", C_REL, FAM_SY, "arrowleft"),
    SYM("leftrightarrow", C_REL, FAM_SY, "arrowboth"),
    SYM("Rightarrow", C_REL, FAM_SY, "arrowdblright"),
    SYM("Leftarrow", C_REL, FAM_SY, "arrowdblleft"),
    SYM("Leftrightarrow", C_REL, FAM_SY, "arrowdblboth"),
    SYM("uparrow", C_REL, FAM_SY, "arrowup"), SYM("downarrow", C_REL, FAM_SY, "arrowdown"),
    SYM("in", C_REL, FAM_SY, "element"), SYM("ni", C_REL, FAM_SY, "owner"),
    SYM("subset", C_REL, FAM_SY, "propersubset"), SYM("supset", C_REL, FAM_SY, "propersuperset"),
    SYM("subseteq", C_REL, FAM_SY, "reflexsubset"), SYM("supseteq", C_REL, FAM_SY, "reflexsuperset"),
    SYM("mid", C_REL, FAM_SY, "bar"), SYM("parallel", C_REL, FAM_SY, "bardbl"),
    SYM("perp", C_REL, FAM_SY, "perpendicular"), SYM("prec", C_REL, FAM_SY, "precedes"),
    SYM("succ", C_REL, FAM_SY, "follows"), SYM("vdash", C_REL, FAM_SY, "turnstileleft"),
    SYM("dashv", C_REL, FAM_SY, "turnstileright"),
    SYM("leqslant", C_REL, FAM_SY, "lessorequalslant"),
    SYM("geqslant", C_REL, FAM_SY, "greaterorequalslant"),
    SYM("preceq", C_REL, FAM_SY, "precedesequal"), SYM("succeq", C_REL, FAM_SY, "followsequal"),
    SYM("sqsubseteq", C_REL, FAM_SY, "subsetsqequal"),
    SYM("sqsupseteq", C_REL, FAM_SY, "supersetsqequal"),
    SYM("models", C_REL, FAM_SY, "turnstileleft"),
    SYM("Uparrow", C_REL, FAM_SY, "arrowdblup"), SYM("Downarrow", C_REL, FAM_SY, "arrowdbldown"),
    SYM("nearrow", C_REL, FAM_SY, "arrownortheast"), SYM("searrow", C_REL, FAM_SY, "arrowsoutheast"),
    SYM("nwarrow", C_REL, FAM_SY, "arrownorthwest"), SYM("swarrow", C_REL, FAM_SY, "arrowsouthwest"),
    SYM("leftharpoonup", C_REL, FAM_MI, "arrowlefttophalf"),
    SYM("rightharpoonup", C_REL, FAM_MI, "arrowrighttophalf"),
    /* \not: zero-width slash that overprints the next relation */
    SYM("not", C_REL, FAM_SY, "negationslash"),
    /* \mapsto = \mapstochar\rightarrow, \neq = \not=, \notin = \not\in:
     * expanded by the parser (aux 1); sym is the first glyph */
    { "mapsto", SK_SYM, C_REL, { FAM_SY, "mapsto" }, { 0, NULL, NULL }, 1 },
    { "neq", SK_SYM, C_REL, { FAM_SY, "negationslash" }, { 0, NULL, NULL }, 2 },
    { "ne", SK_SYM, C_REL, { FAM_SY, "negationslash" }, { 0, NULL, NULL }, 2 },
    { "notin", SK_SYM, C_REL, { FAM_SY, "negationslash" }, { 0, NULL, NULL }, 3 },
    /* punctuation and ordinary ASCII */
    SYM(",", C_PUNCT, FAM_MI, "comma"), SYM(";", C_PUNCT, FAM_RM, "semicolon"),
    SYM("colon", C_PUNCT, FAM_RM, "colon"), SYM(".", C_ORD, FAM_MI, "period"),
    SYM("!", C_CLOSE, FAM_RM, "exclam"), SYM("?", C_CLOSE, FAM_RM, "question"),
    SYM("@", C_ORD, FAM_RM, "at"),
    /* delimiters (class, small glyph, lmex large glyph) */
    DEL("(", C_OPEN, FAM_RM, "parenleft", "parenleftbig"),
    DEL(")", C_CLOSE, FAM_RM, "parenright", "parenrightbig"),
    DEL("[", C_OPEN, FAM_RM, "bracketleft", "bracketleftbig"),
    DEL("]", C_CLOSE, FAM_RM, "bracketright", "bracketrightbig"),
    DEL("lbrack", C_OPEN, FAM_RM, "bracketleft", "bracketleftbig"),
    DEL("rbrack", C_CLOSE, FAM_RM, "bracketright", "bracketrightbig"),
    DEL("{", C_OPEN, FAM_SY, "braceleft", "braceleftbig"),
    DEL("}", C_CLOSE, FAM_SY, "braceright", "bracerightbig"),
    DEL("lbrace", C_OPEN, FAM_SY, "braceleft", "braceleftbig"),
    DEL("rbrace", C_CLOSE, FAM_SY, "braceright", "bracerightbig"),
    DEL("langle", C_OPEN, FAM_SY, "angbracketleft", "angbracketleftbig"),
    DEL("rangle", C_CLOSE, FAM_SY, "angbracketright", "angbracketrightbig"),
    DEL("lfloor", C_OPEN, FAM_SY, "floorleft", "floorleftbig"),
    DEL("rfloor", C_CLOSE, FAM_SY, "floorright", "floorrightbig"),
    DEL("lceil", C_OPEN, FAM_SY, "ceilingleft", "ceilingleftbig"),
    DEL("rceil", C_CLOSE, FAM_SY, "ceilingright", "ceilingrightbig"),
    DEL("|", C_ORD, FAM_SY, "bar", "vextendsingle"),
    DEL("vert", C_ORD, FAM_SY, "bar", "vextendsingle"),
    DEL("lvert", C_OPEN, FAM_SY, "bar", "vextendsingle"),
    DEL("rvert", C_CLOSE, FAM_SY, "bar", "vextendsingle"),
    DEL("\\|", C_ORD, FAM_SY, "bardbl", "vextenddouble"),
    DEL("Vert", C_ORD, FAM_SY, "bardbl", "vextenddouble"),
    DEL("lVert", C_OPEN, FAM_SY, "bardbl", "vextenddouble"),
    DEL("rVert", C_CLOSE, FAM_SY, "bardbl", "vextenddouble"),
    DEL("/", C_ORD, FAM_RM, "slash", "slashbig"),
    /* big operators: aux 1 = limits in display style */
    BOP("sum", "summationtext", 1), BOP("prod", "producttext", 1),
    BOP("coprod", "coproducttext", 1), BOP("int", "integraltext", 0),
    BOP("oint", "contintegraltext", 0), BOP("bigcup", "uniontext", 1),
    BOP("bigcap", "intersectiontext", 1), BOP("bigoplus", "circleplustext", 1),
    BOP("bigotimes", "circlemultiplytext", 1), BOP("bigodot", "circledottext", 1),
    BOP("bigvee", "logicalortext", 1), BOP("bigwedge", "logicalandtext", 1),
    BOP("bigsqcup", "unionsqtext", 1),
    /* named operators (text upright, as \operatorname) */
    OPN("log", "log", 0), OPN("ln", "ln", 0), OPN("exp", "exp", 0),
    OPN("lg", "lg", 0), OPN("arg", "arg", 0),
    OPN("max", "max", 1), OPN("min", "min", 1), OPN("lim", "lim", 1),
    OPN("sup", "sup", 1), OPN("inf", "inf", 1), OPN("det", "det", 1),
    OPN("Pr", "Pr", 1), OPN("gcd", "gcd", 1), OPN("limsup", "lim\\,sup", 1),
    OPN("liminf", "lim\\,inf", 1), OPN("argmax", "arg\\,max", 1),
    OPN("argmin", "arg\\,min", 1), OPN("sin", "sin", 0), OPN("cos", "cos", 0),
    OPN("tan", "tan", 0), OPN("sinh", "sinh", 0), OPN("cosh", "cosh", 0),
    OPN("tanh", "tanh", 0), OPN("dim", "dim", 0), OPN("ker", "ker", 0),
    OPN("deg", "deg", 0), OPN("hom", "hom", 0), OPN("arcsin", "arcsin", 0),
    OPN("arccos", "arccos", 0), OPN("arctan", "arctan", 0), OPN("sec", "sec", 0),
    OPN("csc", "csc", 0), OPN("cot", "cot", 0), OPN("coth", "coth", 0),
    OPN("injlim", "inj\\,lim", 1), OPN("projlim", "proj\\,lim", 1),
    /* dots: built by the layout (aux: 1 ldots 2 cdots 3 vdots 4 ddots) */
    DOTS("ldots", 1), DOTS("dots", 1), DOTS("cdots", 2), DOTS("vdots", 3),
    DOTS("ddots", 4), DOTS("dotsc", 1), DOTS("dotsb", 2), DOTS("dotsm", 2),
    DOTS("dotso", 1), DOTS("dotsi", 2),
    /* amssymb (KaTeX_AMS; generated) */
#include "math/math_amssym.inc"
};

const msymdef *math_sym_find(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof S_table / sizeof *S_table; i++)
        if (strlen(S_table[i].cmd) == len && !memcmp(S_table[i].cmd, name, len))
            return &S_table[i];
    return NULL;
}

size_t math_sym_count(void) { return sizeof S_table / sizeof *S_table; }

const msymdef *math_sym_at(size_t i)
{
    return i < math_sym_count() ? &S_table[i] : NULL;
}

static const char *const S_digits[10] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"
};
static const char *const S_letters =
    "a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z\0"
    "A\0B\0C\0D\0E\0F\0G\0H\0I\0J\0K\0L\0M\0N\0O\0P\0Q\0R\0S\0T\0U\0V\0W\0X\0Y\0Z\0";

const char *math_sym_char_name_ttf(int c)
{
    static const char S_ascii[] = "0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9\0";
    if (c >= '0' && c <= '9')
        return S_ascii + 2 * (c - '0');
    return math_sym_char_name(c);   /* letters are named by themselves */
}

const char *math_sym_char_name(int c)
{
    if (c >= '0' && c <= '9')
        return S_digits[c - '0'];
    if (c >= 'a' && c <= 'z')
        return S_letters + 2 * (c - 'a');
    if (c >= 'A' && c <= 'Z')
        return S_letters + 52 + 2 * (c - 'A');
    return NULL;
}

/* Common Unicode math characters stand for their commands. */
typedef struct S_unimap { const char *u, *cmd; } S_unimap;
static const S_unimap S_uni[] = {
    { "α", "alpha" },
    { "β", "beta" },
    { "γ", "gamma" },
    { "δ", "delta" },
    { "ε", "varepsilon" },
    { "ζ", "zeta" },
    { "η", "eta" },
    { "θ", "theta" },
    { "ι", "iota" },
    { "κ", "kappa" },
    { "λ", "lambda" },
    { "μ", "mu" },
    { "ν", "nu" },
    { "ξ", "xi" },
    { "π", "pi" },
    { "ρ", "rho" },
    { "σ", "sigma" },
    { "τ", "tau" },
    { "υ", "upsilon" },
    { "φ", "varphi" },
    { "χ", "chi" },
    { "ψ", "psi" },
    { "ω", "omega" },
    { "Γ", "Gamma" },
    { "Δ", "Delta" },
    { "Θ", "Theta" },
    { "Λ", "Lambda" },
    { "Ξ", "Xi" },
    { "Π", "Pi" },
    { "Σ", "Sigma" },
    { "Φ", "Phi" },
    { "Ψ", "Psi" },
    { "Ω", "Omega" },
    { "≈", "approx" },
    { "∞", "infty" },
    { "−", "-" },
    { "×", "times" },
    { "·", "cdot" },
    { "≤", "leq" },
    { "≥", "geq" },
    { "≠", "neq" },
    { "∈", "in" },
    { "∉", "notin" },
    { "→", "to" },
    { "←", "leftarrow" },
    { "⇒", "Rightarrow" },
    { "∂", "partial" },
    { "∇", "nabla" },
    { "∑", "sum" },
    { "∏", "prod" },
    { "∫", "int" },
    { "±", "pm" },
    { "∓", "mp" },
    { "⊙", "odot" },
    { "∘", "circ" },
    { "∼", "sim" },
    { "≡", "equiv" },
    { "∝", "propto" },
    { "…", "ldots" },
    { "⋯", "cdots" },
    { "‖", "Vert" },
    { "⟨", "langle" },
    { "⟩", "rangle" },
    { "ℓ", "ell" },
    { "′", "prime" },
    { "↦", "mapsto" },
    { "⊂", "subset" },
    { "∣", "mid" },
};

const msymdef *math_sym_unicode(const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof S_uni / sizeof *S_uni; i++)
        if (strlen(S_uni[i].u) == len && !memcmp(S_uni[i].u, s, len))
            return math_sym_find(S_uni[i].cmd, strlen(S_uni[i].cmd));
    return NULL;
}
