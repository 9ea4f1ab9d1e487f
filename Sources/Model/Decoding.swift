import Tensor

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a decoder picks the next word.
public enum DecodingScheme: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The most probable word (ties: the lowest id).
    case greedy
    /// Sample from the k most probable words, renormalised (Fan et al. 2018). k ≤ 0 behaves as k = 1.
    case topK(Int)
    /// Sample from the smallest set of most probable words whose mass reaches p, renormalised (Holtzman et al.
    /// 2020); the word whose probability makes the mass cross p is kept. p ≥ 1 samples from everything.
    case nucleus(Double)

    public var description: String {
        switch self {
        case .greedy: return "greedy"
        case .topK(let k): return "top-k k=\(k)"
        case .nucleus(let p): return "nucleus p=\(p)"
        }
    }

    /// "greedy" | "top-k" | "nucleus".
    public var name: String {
        switch self {
        case .greedy: return "greedy"
        case .topK: return "top-k"
        case .nucleus: return "nucleus"
        }
    }

    /// nil | k | p.
    public var parameter: Double? {
        switch self {
        case .greedy: return nil
        case .topK(let k): return Double(k)
        case .nucleus(let p): return p
        }
    }
}

/// Picks tokens from a probability vector according to a scheme; keeps its scratch arrays between calls.
/// Order for sampling: candidates sorted by probability descending, ties by id ascending; one uniform draw
/// u ∈ [0, 1) per sampled token, the token is the first whose cumulative renormalised mass exceeds u.
struct TokenSelector {
    private var order: [Int32] = []

    /// `probabilities` (V), not necessarily normalised (non-negative weights). Tokens with weight 0 are
    /// never chosen by sampling unless all candidates have weight 0 (then the first candidate is returned).
    mutating func select(_ probabilities: UnsafeBufferPointer<Double>, scheme: DecodingScheme,
                         rng: inout SplitMix64) -> Int {
        let V = probabilities.count
        precondition(V > 0, "TokenSelector: empty distribution")
        switch scheme {
        case .greedy:
            var best = 0
            for v in 1..<V where probabilities[v] > probabilities[best] { best = v }
            return best
        case .topK(let k0):
            let k = min(max(k0, 1), V)
            // Keep the k best in `order`, sorted descending (insertion; k is small in practice).
            order.removeAll(keepingCapacity: true)
            for v in 0..<V {
                let p = probabilities[v]
                if order.count == k {
                    if !(p > probabilities[Int(order[k - 1])]) { continue }
                    order.removeLast()
                }
                var pos = order.count
                while pos > 0 && p > probabilities[Int(order[pos - 1])] { pos -= 1 }
                order.insert(Int32(v), at: pos)
            }
            return sample(probabilities, count: order.count, rng: &rng)
        case .nucleus(let p):
            order.removeAll(keepingCapacity: true)
            var total = 0.0
            for v in 0..<V {
                total += probabilities[v]
                if probabilities[v] > 0 { order.append(Int32(v)) }
            }
            if order.isEmpty { return 0 }
            order.sort { a, b in
                let pa = probabilities[Int(a)], pb = probabilities[Int(b)]
                return pa != pb ? pa > pb : a < b
            }
            var mass = 0.0
            var n = 0
            let threshold = p * total
            while n < order.count {
                mass += probabilities[Int(order[n])]
                n += 1
                if mass >= threshold { break }
            }
            return sample(probabilities, count: n, rng: &rng)
        }
    }

    /// Samples among the first `count` entries of `order`, proportionally to their weights.
    private func sample(_ probabilities: UnsafeBufferPointer<Double>, count: Int, rng: inout SplitMix64) -> Int {
        var mass = 0.0
        for i in 0..<count { mass += probabilities[Int(order[i])] }
        let u = rng.nextUniform() * mass
        var acc = 0.0
        for i in 0..<count {
            acc += probabilities[Int(order[i])]
            if u < acc { return Int(order[i]) }
        }
        return Int(order[0])
    }
}
