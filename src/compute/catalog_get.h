/* catalog_get — the getters of the declared values (internal to
 * src/compute/): pure functions of the borrowed model that fill a cat_val.
 * catalog_decl.c lists the values and points at these; nothing here calls
 * back into the declarations.
 *
 * Records (cat_value_decl.rec) the field getters read, the first slot
 * picking the element: */
#ifndef LB_CATALOG_GET_H
#define LB_CATALOG_GET_H

#include "compute/catalog_decl.h"

enum {
    CAT_REC_MODEL = 0,    /* ex_model */
    CAT_REC_STEP,         /* ex_step of position K */
    CAT_REC_ASTEP,        /* the same, undefined (-1) at an ignored position */
    CAT_REC_SCEN,         /* ex_scen of scenario S */
    CAT_REC_LOGP, CAT_REC_BCE, CAT_REC_MULTI
};

/* The fewest digits (1..4) that show v as typed (2.0 -> 1, 0.25 -> 2). */
int cat_get_input_digits(double v);

/* Generic field getters: a double, a size_t, a size_t shown 1-based, an
 * int64_t, an int (0/1) at d->off of the record d->rec. */
int cat_get_dbl(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
int cat_get_size(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
int cat_get_size1(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
int cat_get_i64(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
int cat_get_int(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);

/* Computed values; d->off selects a variant where a getter serves several
 * (the enums below). */
int cat_get_shape_text(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
enum { CAT_SHAPE_BTV, CAT_SHAPE_NV, CAT_SHAPE_BT, CAT_SHAPE_N };
int cat_get_token(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
enum { CAT_TOKEN_J, CAT_TOKEN_TARGET, CAT_TOKEN_ARGMAX, CAT_TOKEN_RIVAL };
int cat_get_tokens(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
enum { CAT_TOKENS_NAMED, CAT_TOKENS_LIST };
int cat_get_pos(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
enum { CAT_POS_FIRST, CAT_POS_BEST, CAT_POS_WORST, CAT_POS_INDEX, CAT_POS_MAXDROP };
int cat_get_step(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
enum { CAT_STEP_TIED, CAT_STEP_AHEAD, CAT_STEP_CORRECT, CAT_STEP_CHANGE, CAT_STEP_CAPTION,
       CAT_STEP_PSUM, CAT_STEP_GRADSUM };
int cat_get_tok(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
enum { CAT_TOK_Z, CAT_TOK_ZSHIFT, CAT_TOK_EXPZ, CAT_TOK_EXPZSHIFT, CAT_TOK_P, CAT_TOK_GRAD };
int cat_get_model(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
enum { CAT_M_LNV, CAT_M_PLAIN, CAT_M_WEIGHTED, CAT_M_REDUCTION, CAT_M_SOURCE, CAT_M_TOPK,
       CAT_M_ALLTOK, CAT_M_POINTS, CAT_M_POINTS_SUB, CAT_M_IGNORED, CAT_M_GD_CHANGE,
       CAT_M_GD_DROP, CAT_M_MAXDROP, CAT_M_SUMMARY_NOTE, CAT_M_GRAD_NOTE, CAT_M_REDUCED_NAME,
       CAT_M_LEAD_BY, CAT_M_TRAIL_BY, CAT_M_OTHERS, CAT_M_SCEN_RIVAL };
int cat_get_rand(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
enum { CAT_RAND_V, CAT_RAND_LNV, CAT_RAND_S1, CAT_RAND_S2,
       CAT_RAND_BIG_V, CAT_RAND_BIG_LNV, CAT_RAND_BIG_S1, CAT_RAND_BIG_S2, CAT_RAND_EX_S1,
       CAT_RAND_EX_S2 };
int cat_get_scen_label(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);
int cat_get_vec(const ex_model *m, const cat_value_decl *d, const size_t *a, cat_val *o);

/* Predicates for columns shown only sometimes (cat_col.when). */
int cat_get_is_plain(const ex_model *m);
int cat_get_not_plain(const ex_model *m);
int cat_get_named(const ex_model *m);   /* the tokens have names */

/* Domain helpers. */
size_t cat_get_nrand(const ex_model *m);
void cat_get_show_scen(const ex_model *m, size_t i, cat_val *o);
void cat_get_show_class(const ex_model *m, size_t i, cat_val *o);

#endif
