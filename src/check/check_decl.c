/* check_decl — the steps of the calculation and what each is computed
 * from; see check_decl.h. */
#include "check/check_decl.h"

#define S_N(a) (sizeof (a) / sizeof (a)[0])

/* Columns: result, operation, inputs, its name in the terminal report and
 * in the errata sheet, what a list input holds, a short column header. */
const chk_rel chk_decl_rels[] = {
    /* a position, in the order the steps are worked */
    {"z/{K}/{J}", CHK_OP_INPUT, {NULL, NULL}, "z_%J", "$z_{%J}$", NULL, "$z_j$"},
    {"maxlogit/{K}", CHK_OP_MAX, {"z/{K}/{*J}", NULL}, "the largest logit m",
     "the largest logit $m$", "logits", "$m$"},
    {"z.shift/{K}/{J}", CHK_OP_SUB, {"z/{K}/{J}", "maxlogit/{K}"}, "z_%J - m", "$z_{%J} - m$", NULL,
     "$z_j - m$"},
    {"expz/{K}/{J}", CHK_OP_EXP, {"z/{K}/{J}", NULL}, "e^(z_%J)", "$e^{z_{%J}}$", NULL, "$e^{z_j}$"},
    {"expz.shift/{K}/{J}", CHK_OP_EXP, {"z.shift/{K}/{J}", NULL}, "e^(z_%J - m)", "$e^{z_{%J} - m}$",
     NULL, "$e^{z_j - m}$"},
    {"sumexp/{K}", CHK_OP_SUM, {"expz/{K}/{*J}", NULL}, "the sum of exponentials",
     "the sum of exponentials", "exponentials", "$\\sum_j e^{z_j}$"},
    {"sumexp.shift/{K}", CHK_OP_SUM, {"expz.shift/{K}/{*J}", NULL}, "the sum of shifted exponentials",
     "the sum of shifted exponentials", "shifted exponentials", "$\\sum_j e^{z_j - m}$"},
    {"lse/{K}", CHK_OP_LN, {"sumexp/{K}", NULL}, "the log-sum-exp", "the log-sum-exp", NULL,
     "$\\log \\sum_j e^{z_j}$"},
    /* the same by the max-subtracted route: m + ln sum_j e^{z_j - m} */
    {"lse/{K}", CHK_OP_ADDLN, {"maxlogit/{K}", "sumexp.shift/{K}"}, "the log-sum-exp",
     "the log-sum-exp", NULL, "$\\log \\sum_j e^{z_j}$"},
    {"p/{K}/{J}", CHK_OP_DIV, {"expz/{K}/{J}", "sumexp/{K}"}, "p_%J", "$p_{%J}$", NULL, "$p_j$"},
    /* the same p_j by the max-subtracted route (used when its values are
     * the ones written): e^{z_j - m} / sum_j e^{z_j - m} */
    {"p/{K}/{J}", CHK_OP_DIV, {"expz.shift/{K}/{J}", "sumexp.shift/{K}"}, "p_%J", "$p_{%J}$", NULL,
     "$p_j$"},
    {"ptarget/{K}", CHK_OP_COPY, {"p/{K}/{Y}", NULL}, "p_target", "$p_{\\text{target}}$", NULL,
     "$p_{\\text{target}}$"},
    {"loss/{K}", CHK_OP_NEGLN, {"ptarget/{K}", NULL}, "the loss", "the loss", NULL,
     "$-\\log p_{\\text{target}}$"},
    /* the same loss by log-sum-exp: log sum_j e^{z_j} - z_y */
    {"loss/{K}", CHK_OP_SUB, {"lse/{K}", "z/{K}/{Y}"}, "the loss", "the loss", NULL,
     "$-\\log p_{\\text{target}}$"},
    {"nll/{K}", CHK_OP_NEGLN, {"ptarget/{K}", NULL}, "-log p_target", "$-\\log p_{\\text{target}}$",
     NULL, "$-\\log p_{\\text{target}}$"},
    {"grad/{K}/{J}", CHK_OP_ONEHOT, {"p/{K}/{J}", NULL}, "the gradient p_%J - y_%J",
     "the gradient $p_{%J} - y_{%J}$", NULL, "$p_j - y_j$"},
    /* the batch */
    {"loss.sum", CHK_OP_SUM, {"loss/{*K}", NULL}, "the sum of the losses", "the sum of the losses",
     "losses", "sum"},
    {"loss.mean", CHK_OP_MEANN, {"loss.sum", NULL}, "the mean loss", "the mean loss", NULL, "mean"},
};
const size_t chk_decl_nrels = S_N(chk_decl_rels);
