// Baseline build of the kernels: whatever the compiler targets by default (SSE2 on x86-64,
// NEON on arm64). 16-byte vectors, 4×2-vector tiles.
#define NABLA_ISA_NS generic
#define NABLA_ISA_NAME "generic"
#define NABLA_VB 16
#define NABLA_MR_F32 4
#define NABLA_MR_F64 4
#include "kernels_impl.inc"
#include "fused_impl.inc"
