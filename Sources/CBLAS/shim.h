// OpenBLAS: CBLAS plus the few LAPACK routines VAEScope calls (they live inside libopenblas).
#ifndef VAESCOPE_CBLAS_SHIM_H
#define VAESCOPE_CBLAS_SHIM_H
#include <cblas.h>

// LAPACK (Fortran calling convention), provided by libopenblas.
// Cholesky factorisation of a symmetric positive definite matrix.
void dpotrf_(const char *uplo, const int *n, double *a, const int *lda, int *info);
// Eigenvalues/vectors of a symmetric matrix (divide and conquer).
void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
             double *work, const int *lwork, int *iwork, const int *liwork, int *info);

static inline void vaescope_blas_set_threads(int n) { openblas_set_num_threads(n); }
static inline int vaescope_blas_threads(void) { return openblas_get_num_threads(); }
#endif
