/// Safe file names from arbitrary run and report names.
///
/// A slug keeps ASCII letters and digits (lower-cased), turns every other run of characters into one `-`,
/// trims dashes and is at most 60 characters; an empty result becomes `item`. Names that slug alike are
/// told apart by `Slugger`, which appends `-2`, `-3`, … in the order names are presented (callers present
/// them in a stable order, so the same stores always give the same file names).
public enum Slug {
    public static func make(_ name: String, maxLength: Int = 60) -> String {
        var out = ""
        var pendingDash = false
        for c in name.unicodeScalars {
            let v = c.value
            let isAlnum = (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
            if isAlnum {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.unicodeScalars.append(v >= 65 && v <= 90 ? Unicode.Scalar(UInt8(v + 32)) : c)
                if out.count >= maxLength { break }
            } else {
                pendingDash = true
            }
        }
        return out.isEmpty ? "item" : out
    }
}

/// Hands out unique slugs: the first name to claim `a-b` gets it, later ones get `a-b-2`, `a-b-3`, ….
public struct Slugger: Sendable {
    private var taken: Set<String> = []
    public init(reserved: [String] = []) { taken = Set(reserved) }

    public mutating func unique(_ name: String) -> String {
        let base = Slug.make(name)
        var candidate = base
        var n = 2
        while taken.contains(candidate) {
            candidate = "\(base)-\(n)"
            n += 1
        }
        taken.insert(candidate)
        return candidate
    }
}
