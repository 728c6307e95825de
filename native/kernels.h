// The table of kernels one instruction-set build provides. kernels_impl.inc is compiled three
// times (AVX-512, AVX2+FMA, baseline) into separate namespaces; the addon picks one table at load
// time with __builtin_cpu_supports, so a single binary runs on any x86-64 (or any CPU, generic only).
#ifndef NABLA_KERNELS_H
#define NABLA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

namespace nabla {

// Elementwise op codes: the op registry's (src/ops/, each kernel's `code`), one numbering for WASM
// and native. Gaps are ops this addon leaves to JavaScript. test/ops/kernel-codes.test.ts checks
// these enums against the registry. Each *_COUNT stays last: the addon rejects codes from it up.
enum UnaryCode { U_NEG = 0, U_EXP = 1, U_SQRT = 3, U_ABS = 4, U_SIGN = 5, U_SQUARE = 6, U_RECIPROCAL = 7,
                 U_TANH = 10, U_SIGMOID = 11, U_RELU = 12, U_HEAVISIDE = 14, U_LEAKY_RELU = 15, U_GELU = 17,
                 U_COUNT = 18 };
enum UnaryGradCode { G_RELU = 0, G_SIGMOID = 1, G_TANH = 2, G_LEAKY_RELU = 3, G_GELU = 5, G_COUNT = 7 };
enum BinaryCode { B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_MAXIMUM = 5, B_MINIMUM = 6, B_EQ = 7, B_NE = 8,
                  B_LT = 9, B_LE = 10, B_GT = 11, B_GE = 12, B_COUNT = 13 };
enum ReduceCode { R_SUM, R_MAX, R_MIN, R_ARGMAX, R_ARGMIN, R_COUNT };

// Scratch the GEMM packs A and B panels into; owned by the caller (one per thread).
struct PackBuffers { void* a; size_t aBytes; void* b; size_t bBytes; };

template <typename T> struct KernelSet {
  // Computes columns [j0, j1) of C = alpha·op(A)·op(B) + beta·C (row-major, see backend.ts).
  void (*gemm)(bool transA, bool transB, long m, long n, long k, T alpha, const T* a, long lda,
               const T* b, long ldb, T beta, T* c, long ldc, long j0, long j1, PackBuffers* buf);
  // Bytes of packing scratch gemm needs (A panel, B panel) for this k.
  void (*packBytes)(long m, long n, long k, size_t* aBytes, size_t* bBytes);
  int nr;  // micro-tile width: thread splits of n are rounded to it
  bool (*unary)(int op, long n, const T* x, T* out, T param);
  bool (*unaryGrad)(int op, long n, const T* v, const T* g, T* out, T param);
  bool (*binary)(int op, long n, const T* a, const T* b, T* out);
  void (*affine)(long n, const T* x, double s, double t, T* out);
  void (*axpy)(long n, double alpha, const T* x, T* y);
  double (*dot)(long n, const T* x, const T* y);
  void (*select)(long n, const T* cond, const T* a, const T* b, T* out);
  void (*reduce)(int op, long outer, long len, long inner, const T* x, T* out);
  // Softmax over rows (inner == 1) of an [outer, len] matrix.
  void (*softmaxRows)(long outer, long len, const T* x, T* out, bool log);
  // One Adam step in place (see adamStep in src/backend/backend.ts).
  void (*adam)(long n, T* w, const T* g, T* m, T* v, double stepSize, double beta1, double beta2,
               double eps, double bc2Sqrt, double coupledDecay, double shrink);
};

struct Isa {
  const char* name;
  KernelSet<float> f32;
  KernelSet<double> f64;
};

namespace generic { extern const Isa isa; }
#if defined(__x86_64__)
namespace avx2 { extern const Isa isa; }
namespace avx512 { extern const Isa isa; }
#endif

}  // namespace nabla

#endif
