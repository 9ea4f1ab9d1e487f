/// A growable, manually managed contiguous buffer of scalars: the workspace type of the numeric code.
/// Kernels take its `pointer`; `resize` reallocates only when the capacity must grow, so steady-state
/// training allocates nothing. Contents are undefined after a growing resize unless `zero()` is called.
public final class Buffer<S: BLASScalar> {
    public private(set) var pointer: UnsafeMutablePointer<S>
    public private(set) var count: Int
    public private(set) var capacity: Int

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public init(count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
        self.count = count
    }

    deinit { pointer.deallocate() }

    /// Sets the logical size; grows the storage (zero-filled) when needed.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func resize(_ newCount: Int) {
        if newCount > capacity { grow(newCount) }
        count = newCount
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    private func grow(_ newCount: Int) {
        pointer.deallocate()
        capacity = newCount
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    /// Resizes and zero-fills.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func resizeZeroed(_ newCount: Int) {
        resize(newCount)
        zero()
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    @inlinable
    public func zero() { pointer.update(repeating: 0, count: count) }

    @inlinable
    public subscript(i: Int) -> S {
        get { pointer[i] }
        set { pointer[i] = newValue }
    }

    /// A copy of the contents as an array.
    public var array: [S] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    /// Replaces the contents by `values`.
    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func assign(_ values: [S]) {
        resize(values.count)
        values.withUnsafeBufferPointer { src in
            if let base = src.baseAddress { pointer.update(from: base, count: values.count) }
        }
    }
}
