// AVX-512 build of the kernels (compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma).
// 32 zmm registers. Tiles (MR rows × NV vectors), the default first: 8×2 (16 accumulators; m = 128
// and n = 256 split into whole tiles, and its 8-row A panels pack by 8×8 transposes), 14×2 (28
// accumulators + 2 for B + 1 broadcast), 6×4 and 12×2 (24 accumulators). Measured on Zen 5 at
// 128×784×256, 1 thread, GFLOP/s NN/TN/NT: 8×2 186/194/181, 14×2 164/182/165, 6×4 174/185/160.
#define NABLA_ISA_NS avx512
#define NABLA_ISA_NAME "avx512"
#define NABLA_VB 64
#define NABLA_TILES(X) X(8, 2) X(14, 2) X(6, 4) X(12, 2)
#include "kernels_impl.inc"
