/* pdf_hobj — reading libharu 2.3.0's objects (dictionaries, arrays, memory
 * streams) through its installed internal headers, without libharu's
 * error side effects (HPDF_Dict_GetItem puts the document in an error
 * state on a type mismatch).  Read-only: safe on any thread while no
 * thread changes the objects.  For the save-time passes (pdf_t1sub.c,
 * pdf_deflate.c).
 *
 * Ownership: pointers returned point into the document (borrowed);
 * pdf_hobj_bytes returns a malloc'd copy the caller frees.
 */
#ifndef LB_PDF_HOBJ_H
#define LB_PDF_HOBJ_H

#include <stddef.h>
#include <hpdf.h>
#include <hpdf_objects.h>

/* dict[key] with a proxy resolved; NULL if absent (or d NULL). */
void *pdf_hobj_item(HPDF_Dict d, const char *key);
/* Element k of array a with a proxy resolved; NULL past the end. */
void *pdf_hobj_at(HPDF_Array a, size_t k);
/* The object's class (HPDF_OCLASS_DICT, _ARRAY, _NUMBER, _NAME, ...), 0 for
 * NULL. */
int pdf_hobj_class(const void *obj);
/* A memory stream's bytes in one malloc'd block (*len bytes); NULL for
 * another kind of stream or out of memory. */
unsigned char *pdf_hobj_bytes(HPDF_Stream s, size_t *len);

#endif
