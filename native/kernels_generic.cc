// Baseline build of the kernels: whatever the compiler targets by default (SSE2 on x86-64,
// NEON on arm64). 16-byte vectors; tiles 4×2 and 6×2 vectors (16 xmm registers on x86-64).
#define NABLA_ISA_NS generic
#define NABLA_ISA_NAME "generic"
#define NABLA_VB 16
#define NABLA_TILES(X) X(4, 2) X(6, 2)
#include "kernels_impl.inc"
