// AVX-512 build of the kernels (compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma).
// 32 zmm registers. Tiles (MR rows × NV vectors): 14×2 (28 accumulators + 2 for B + 1 broadcast),
// 8×3 and 6×4 (24 accumulators: m = 128 splits into whole 8-row tiles, and wider B panels).
#define NABLA_ISA_NS avx512
#define NABLA_ISA_NAME "avx512"
#define NABLA_VB 64
#define NABLA_TILES(X) X(14, 2) X(8, 3) X(6, 4)
#include "kernels_impl.inc"
