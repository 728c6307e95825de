// AVX2 + FMA build of the kernels. 16 ymm registers. Tiles (MR rows × NV vectors): 6×2 (12
// accumulators + 2 for B + 1 broadcast) and 4×3 (12 accumulators + 3 for B).
#define NABLA_ISA_NS avx2
#define NABLA_ISA_NAME "avx2"
#define NABLA_VB 32
#define NABLA_TILES(X) X(6, 2) X(4, 3)
#include "kernels_impl.inc"
