// The table of kernels one instruction-set build provides. kernels_impl.inc is compiled three
// times (AVX-512, AVX2+FMA, baseline) into separate namespaces; the addon picks one table at load
// time with __builtin_cpu_supports, so a single binary runs on any x86-64 (or any CPU, generic only).
#ifndef NABLA_KERNELS_H
#define NABLA_KERNELS_H

#include <stddef.h>
#include <stdint.h>

namespace nabla {

// Elementwise op codes shared with the TypeScript side (src/backend/native/addon.ts). Each *_COUNT
// stays last: the addon rejects codes from it up, so a new op goes just before it.
enum UnaryCode { U_NEG, U_ABS, U_SQUARE, U_RELU, U_STEP, U_LEAKY_RELU, U_EXP, U_TANH, U_SIGMOID,
                 U_SQRT, U_RECIPROCAL, U_SIGN, U_GELU, U_COUNT };
enum UnaryGradCode { G_RELU, G_SIGMOID, G_TANH, G_LEAKY_RELU, G_GELU, G_COUNT };
enum BinaryCode { B_ADD, B_SUB, B_MUL, B_DIV, B_MAXIMUM, B_MINIMUM, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE,
                  B_COUNT };
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
  void (*unary)(int op, long n, const T* x, T* out, T param);
  void (*unaryGrad)(int op, long n, const T* v, const T* g, T* out, T param);
  void (*binary)(int op, long n, const T* a, const T* b, T* out);
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
