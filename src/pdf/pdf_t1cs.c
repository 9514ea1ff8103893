/* pdf_t1cs — see pdf_t1cs.h. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "pdf/pdf_t1cs.h"

#define S_MAX_DEPTH 16   /* Subrs calling Subrs: real fonts use 2 or 3 */

void pdf_t1cs_decrypt(const unsigned char *in, size_t n, unsigned key, unsigned char *out)
{
    unsigned r = key;
    for (size_t k = 0; k < n; k++) {
        unsigned c = in[k];
        out[k] = (unsigned char)(c ^ (r >> 8));
        r = ((c + r) * 52845u + 22719u) & 0xffffu;
    }
}

void pdf_t1cs_encrypt(const unsigned char *in, size_t n, unsigned key, unsigned char *out)
{
    unsigned r = key;
    for (size_t k = 0; k < n; k++) {
        unsigned c = (in[k] ^ (r >> 8)) & 0xffu;
        out[k] = (unsigned char)c;
        r = ((c + r) * 52845u + 22719u) & 0xffffu;
    }
}

size_t pdf_t1cs_number(long v, unsigned char out[5])
{
    if (v >= -107 && v <= 107) {
        out[0] = (unsigned char)(v + 139);
        return 1;
    }
    if (v >= 108 && v <= 1131) {
        out[0] = (unsigned char)((v - 108) / 256 + 247);
        out[1] = (unsigned char)((v - 108) % 256);
        return 2;
    }
    if (v <= -108 && v >= -1131) {
        out[0] = (unsigned char)((-v - 108) / 256 + 251);
        out[1] = (unsigned char)((-v - 108) % 256);
        return 2;
    }
    uint32_t u = (uint32_t)(int32_t)v;
    out[0] = 255;
    out[1] = (unsigned char)(u >> 24);
    out[2] = (unsigned char)(u >> 16);
    out[3] = (unsigned char)(u >> 8);
    out[4] = (unsigned char)u;
    return 5;
}

size_t pdf_t1cs_number_len(unsigned char b)
{
    return b < 32 ? 0 : b <= 246 ? 1 : b <= 254 ? 2 : 5;
}

size_t pdf_t1cs_number_read(const unsigned char *b, size_t n, long *v)
{
    size_t len = n ? pdf_t1cs_number_len(b[0]) : 0;
    if (!len || len > n)
        return 0;
    if (len == 1)
        *v = (long)b[0] - 139;
    else if (b[0] <= 250)
        *v = (long)(b[0] - 247) * 256 + b[1] + 108;
    else if (b[0] <= 254)
        *v = -(long)(b[0] - 251) * 256 - b[1] - 108;
    else
        *v = (long)(int32_t)((uint32_t)b[1] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 8 | b[4]);
    return len;
}

static void S_push(pdf_t1cs_vm *vm, double x, long long prov)
{
    if (vm->sp < 64) {
        vm->st[vm->sp] = x;
        vm->prov[vm->sp++] = prov;
    }
}

/* Everything on the stack is consumed by a command other than callsubr. */
static void S_clear(pdf_t1cs_vm *vm, const pdf_t1cs_calls *c)
{
    for (int i = 0; i < vm->sp; i++)
        if (vm->prov[i] >= 0 && c->other)
            c->other(c->ctx, vm->st[i], vm->prov[i]);
    vm->sp = 0;
}

int pdf_t1cs_walk(const unsigned char *b, size_t n, size_t skip, long long id,
                  pdf_t1cs_vm *vm, const pdf_t1cs_calls *c, int depth)
{
    if (depth > S_MAX_DEPTH)
        return -1;
    for (size_t k = skip; k < n; k++) {
        unsigned v = b[k];
        if (v >= 32) {
            size_t at = k;
            double x;
            if (v <= 246)
                x = (double)v - 139;
            else if (v <= 250 && k + 1 < n)
                x = (double)(v - 247) * 256 + b[++k] + 108;
            else if (v <= 254 && k + 1 < n)
                x = -(double)(v - 251) * 256 - b[++k] - 108;
            else if (v == 255 && k + 4 < n) {
                uint32_t u = (uint32_t)b[k + 1] << 24 | (uint32_t)b[k + 2] << 16
                             | (uint32_t)b[k + 3] << 8 | b[k + 4];
                x = (double)(int32_t)u;
                k += 4;
            } else
                return 0;   /* truncated number: nothing more to find */
            S_push(vm, x, at < ((size_t)1 << 24) ? id << 24 | (long long)at : -1);
            continue;
        }
        if (v == 10) {   /* callsubr */
            double x = NAN;
            long long pv = -1;
            if (vm->sp > 0) {
                vm->sp--;
                x = vm->st[vm->sp];
                pv = vm->prov[vm->sp];
            }
            if (c->subr(c->ctx, x, pv, vm, depth + 1) < 0)
                return -1;
            continue;
        }
        if (v == 11 || v == 14)   /* return, endchar */
            return 0;
        if (v == 12 && k + 1 < n) {
            unsigned op = b[++k];
            int sp = vm->sp;
            if (op == 6 && sp >= 5) {   /* seac: asb adx ady bchar achar */
                if (c->seac)
                    c->seac(c->ctx, vm->st[sp - 2], vm->st[sp - 1]);
                S_clear(vm, c);
            } else if (op == 16 && sp >= 2) {   /* args.. n othersubr# callothersubr */
                double cnt = vm->st[sp - 2];
                vm->sp -= 2;
                if (c->other) {
                    c->other(c->ctx, vm->st[sp - 1], vm->prov[sp - 1]);
                    c->other(c->ctx, cnt, vm->prov[sp - 2]);
                }
                int m = cnt == cnt && cnt >= 0 && cnt < 64 ? (int)cnt : 0;
                for (int a = 0; a < m && vm->sp > 0; a++)
                    if (vm->psp < 32) {
                        vm->sp--;
                        vm->ps[vm->psp] = vm->st[vm->sp];
                        vm->pprov[vm->psp++] = vm->prov[vm->sp];
                    }
            } else if (op == 17) {   /* pop: an othersubr's result back */
                if (vm->psp > 0) {
                    vm->psp--;
                    S_push(vm, vm->ps[vm->psp], vm->pprov[vm->psp]);
                } else
                    S_push(vm, NAN, -1);
            } else if (op == 12 && sp >= 2) {   /* div: the result has no literal */
                if (c->other) {
                    c->other(c->ctx, vm->st[sp - 2], vm->prov[sp - 2]);
                    c->other(c->ctx, vm->st[sp - 1], vm->prov[sp - 1]);
                }
                vm->st[sp - 2] /= vm->st[sp - 1];
                vm->prov[sp - 2] = -1;
                vm->sp--;
            } else
                S_clear(vm, c);
            continue;
        }
        S_clear(vm, c);   /* every other command clears the operand stack */
    }
    return 0;
}
