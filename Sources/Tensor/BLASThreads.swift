import CBLAS

/// Process-wide BLAS settings.
public enum BLAS {
    /// Sets the number of OpenBLAS threads. VAEScope defaults to 1: two threads are noisy on 2-core machines.
    public static func setThreads(_ count: Int) {
        vaescope_blas_set_threads(Int32(max(1, count)))
    }

    /// The number of threads OpenBLAS uses now.
    public static var threads: Int { Int(vaescope_blas_threads()) }
}
