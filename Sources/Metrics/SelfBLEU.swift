/// Self-BLEU (Zhu et al. 2018, Texygen `SelfBleu`): each generated sentence is scored with NLTK sentence BLEU
/// (smoothing method 1, uniform weights) against all the *other* generated sentences as its references, and
/// the scores are averaged. Higher means less diverse generations.
///
/// Fast and exact: the clipped count of an n-gram against "all references but i" is min(c_i, max over j ≠ i of
/// c_j), read from per-n-gram (largest count, how many sentences hold it, second largest) tables built once;
/// the closest reference length (NLTK: nearest to |h|, ties to the shorter) comes from a length histogram
/// minus sentence i's own length. O(total tokens · N_order) hash look-ups instead of O(N²).
extension BLEU {
    /// Self-BLEU-N (default 4) of `sentences`; nil when there are fewer than two sentences.
    public static func selfBLEU(_ sentences: [[Int32]], maxOrder: Int = 4) -> Double? {
        precondition((1...4).contains(maxOrder), "BLEU order \(maxOrder) not in 1…4")
        guard sentences.count >= 2 else { return nil }
        var tables = [[NGramKey: CountLeaders]](repeating: [:], count: maxOrder)
        var buffer: [NGramKey] = []

        // Runs of equal keys in a sorted buffer: (key, count).
        func forEachRun(_ body: (NGramKey, Int32) -> Void) {
            var i = 0
            while i < buffer.count {
                let k = buffer[i]
                var j = i + 1
                while j < buffer.count && buffer[j] == k { j += 1 }
                body(k, Int32(j - i))
                i = j
            }
        }
        for s in sentences {
            for n in 1...maxOrder {
                sortedNGrams(s, n, into: &buffer)
                forEachRun { key, c in
                    tables[n - 1][key, default: CountLeaders()].update(c)
                }
            }
        }
        let maxLength = sentences.map(\.count).max() ?? 0
        var lengthCount = [Int](repeating: 0, count: maxLength + 1)
        for s in sentences { lengthCount[s.count] += 1 }

        var total = 0.0
        for s in sentences {
            var matches = SIMD4<Int>(), hypTotal = SIMD4<Int>()
            for n in 1...maxOrder {
                hypTotal[n - 1] = Swift.max(0, s.count - n + 1)
                sortedNGrams(s, n, into: &buffer)
                var m = 0
                forEachRun { key, c in
                    guard let t = tables[n - 1][key] else { return }
                    let other = (c == t.first && t.holders == 1) ? t.second : t.first
                    m += Int(Swift.min(c, other))
                }
                matches[n - 1] = m
            }
            // Closest other length, ties to the shorter (NLTK closest_ref_length).
            lengthCount[s.count] -= 1
            var r = s.count
            for delta in 0...Swift.max(maxLength, 0) {
                if s.count - delta >= 0 && lengthCount[s.count - delta] > 0 { r = s.count - delta; break }
                if s.count + delta <= maxLength && lengthCount[s.count + delta] > 0 { r = s.count + delta; break }
            }
            lengthCount[s.count] += 1
            total += sentenceNLTKMethod1(matches: matches, hypothesisTotal: hypTotal, hypothesisLength: s.count,
                                         referenceLength: r, maxOrder: maxOrder)
        }
        return total / Double(sentences.count)
    }
}

/// Per-n-gram counts over sentences: the largest count, how many sentences hold it, and the largest count held
/// by a sentence below the largest — so max over "all sentences but i" is `second` for the unique holder of
/// `first` and `first` for everyone else.
struct CountLeaders {
    var first: Int32 = 0, holders: Int32 = 0, second: Int32 = 0

    @inline(__always)
    mutating func update(_ c: Int32) {
        if c > first {
            second = first
            first = c
            holders = 1
        } else if c == first {
            holders += 1
        } else if c > second {
            second = c
        }
    }
}
