import Tensor

/// A named trainable tensor over scalar `S` (Float32 in training, Float64 in the gradient checks).
/// Storage is owned by the object, so kernels take stable pointers (`valuePointer`, `gradPointer`).
/// Gradients are accumulated (+=) by backward passes and zeroed by `zeroGradient()`.
public final class ParameterOf<S: BLASScalar> {
    public let name: String
    public let shape: [Int]
    public let count: Int
    public let valuePointer: UnsafeMutablePointer<S>  // (count)
    public let gradPointer: UnsafeMutablePointer<S>   // (count)

    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
        count = shape.reduce(1, *)
        valuePointer = .allocate(capacity: max(count, 1))
        valuePointer.initialize(repeating: 0, count: max(count, 1))
        gradPointer = .allocate(capacity: max(count, 1))
        gradPointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit {
        valuePointer.deallocate()
        gradPointer.deallocate()
    }

    /// The values as an array (a copy; setting copies back, the count must match).
    public var value: [S] {
        get { Array(UnsafeBufferPointer(start: valuePointer, count: count)) }
        set {
            precondition(newValue.count == count, "\(name): \(newValue.count) values for \(count) elements")
            newValue.withUnsafeBufferPointer { src in
                if let b = src.baseAddress { valuePointer.update(from: b, count: count) }
            }
        }
    }

    /// The gradient as an array (a copy; setting copies back, the count must match).
    public var grad: [S] {
        get { Array(UnsafeBufferPointer(start: gradPointer, count: count)) }
        set {
            precondition(newValue.count == count, "\(name): \(newValue.count) gradients for \(count) elements")
            newValue.withUnsafeBufferPointer { src in
                if let b = src.baseAddress { gradPointer.update(from: b, count: count) }
            }
        }
    }

    @_specialize(where S == Float)
    @_specialize(where S == Double)
    public func zeroGradient() { gradPointer.update(repeating: 0, count: count) }

    /// Fills the values with U(−a, a) draws in index order.
    func fillUniform(scale a: Double, rng: inout SplitMix64) {
        for i in 0..<count { valuePointer[i] = S(rng.nextUniform(in: -a, a)) }
    }
}

/// The Float32 parameter used by training (the API contract's `Parameter`).
public typealias Parameter = ParameterOf<Float>
