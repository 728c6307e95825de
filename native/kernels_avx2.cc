// AVX2 + FMA build of the kernels. 16 ymm registers: a 6×16 tile uses 12 accumulators.
#define NABLA_ISA_NS avx2
#define NABLA_ISA_NAME "avx2"
#define NABLA_VB 32
#define NABLA_MR_F32 6
#define NABLA_MR_F64 6
#include "kernels_impl.inc"
#include "fused_impl.inc"
