/* gen_npy — write a language model's-size example as .npy files for
 * `make bench` (bench/npy.sh): logits [N, V] float32 and targets [N] int64,
 * deterministic pseudo-random data (splitmix64; logits ~ N(0, 2^2) with the
 * target's logit raised by 4, so losses look like a half-trained model's).
 *   gen_npy N V logits.npy targets.npy
 * Written row by row: the generator needs O(V) memory, not O(N V). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t S_s = 0x1234567887654321ull;

static uint64_t S_next(void)
{
    uint64_t z = (S_s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double S_u(void)
{
    return ((double)(S_next() >> 11) + 0.5) / 9007199254740992.0;
}

/* 64-byte aligned header, as NumPy writes it (version 1.0). */
static void S_header(FILE *f, const char *descr, const char *shape)
{
    char dict[256];
    int dl = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }",
                      descr, shape);
    size_t hl = (size_t)dl + 1;
    while ((10 + hl) % 64)
        hl++;
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hl & 0xff),
                             (unsigned char)(hl >> 8)};
    fwrite(pre, 1, 10, f);
    fwrite(dict, 1, (size_t)dl, f);
    for (size_t i = (size_t)dl; i + 1 < hl; i++)
        fputc(' ', f);
    fputc('\n', f);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: gen_npy N V logits.npy targets.npy\n");
        return 2;
    }
    size_t N = strtoull(argv[1], NULL, 10), V = strtoull(argv[2], NULL, 10);
    FILE *lf = fopen(argv[3], "wb"), *tf = fopen(argv[4], "wb");
    float *row = malloc(V * sizeof *row);
    if (!lf || !tf || !row || N == 0 || V < 2) {
        fprintf(stderr, "gen_npy: cannot start\n");
        return 1;
    }
    char shape[64];
    snprintf(shape, sizeof shape, "(%zu, %zu)", N, V);
    S_header(lf, "<f4", shape);
    snprintf(shape, sizeof shape, "(%zu,)", N);
    S_header(tf, "<i8", shape);
    for (size_t n = 0; n < N; n++) {
        for (size_t j = 0; j + 1 < V; j += 2) {   /* Box-Muller, two at a time */
            double r = sqrt(-2.0 * log(S_u())), t = 6.283185307179586 * S_u();
            row[j] = (float)(2.0 * r * cos(t));
            row[j + 1] = (float)(2.0 * r * sin(t));
        }
        if (V % 2)
            row[V - 1] = 0.0f;
        int64_t y = (int64_t)(S_next() % V);
        row[y] += 4.0f;
        fwrite(row, sizeof *row, V, lf);
        fwrite(&y, sizeof y, 1, tf);
    }
    free(row);
    if (fclose(lf) != 0 || fclose(tf) != 0) {
        fprintf(stderr, "gen_npy: write error\n");
        return 1;
    }
    return 0;
}
