// AVX-512 build of the kernels (compiled with -mavx512f -mavx512bw -mavx512dq -mavx512vl -mfma).
// f32 tile 14×32: 28 zmm accumulators + 2 for B + 1 broadcast fills the 32 registers.
#define NABLA_ISA_NS avx512
#define NABLA_ISA_NAME "avx512"
#define NABLA_VB 64
#define NABLA_MR_F32 14
#define NABLA_MR_F64 14
#include "kernels_impl.inc"
#include "fused_impl.inc"
