/// A Penn-Treebank-like word tokenizer for cleaned English text.
///
/// Rules, applied to the lower-cased text:
/// - letters and digits form words; an apostrophe or a single hyphen between two letters/digits stays inside
///   the word (`o'clock`, `well-known`); a period or comma between two digits stays inside (`3.14`, `1,000`);
/// - contractions are split as in the Treebank: `don't` → `do n't`, `can't` → `ca n't`, `he's` → `he 's`,
///   and likewise `'re`, `'ve`, `'ll`, `'m`, `'d`;
/// - abbreviations keep their final period (`mr.`, `dr.`, `e.g.`, `u.s.`, initials like `j.` but not the
///   words `a` and `i`); other
///   periods are tokens of their own; `...` and `--` are single tokens;
/// - every other non-space ASCII character (`, ; : ! ? ( ) " '` …) is a token of its own;
/// - any non-ASCII character is a token of its own (the demo cleaner drops such sentences before this).
/// Empty or all-space text gives no tokens.
public enum Tokenizer {
    /// Abbreviations (lower case, without the final period) that keep their period. Words that are also
    /// common sentence-final words ("no", "mar", "dec", "rep", "sep") are left out.
    public static let abbreviations: Set<String> = [
        "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "prof", "gen", "col", "lt", "sgt", "capt",
        "rev", "gov", "sen", "mt", "ft", "vol", "inc", "ltd", "co", "corp", "jan", "feb", "apr", "aug",
        "sept", "oct", "nov", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "cf", "al",
    ]

    private static let contractionSuffixes = ["'s", "'re", "'ve", "'ll", "'m", "'d"]

    /// Tokenizes `text` (lower-casing it first).
    public static func tokenize(_ text: String) -> [String] {
        let chars = Array(text.lowercased())
        var tokens: [String] = []
        var i = 0
        func isAlnum(_ k: Int) -> Bool {
            k >= 0 && k < chars.count && chars[k].isASCII && (chars[k].isLetter || chars[k].isNumber)
        }
        func isDigit(_ k: Int) -> Bool { k >= 0 && k < chars.count && chars[k].isASCII && chars[k].isNumber }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if isAlnum(i) {
                var word = String(c)
                var j = i + 1
                while j < chars.count {
                    if isAlnum(j) {
                        word.append(chars[j])
                    } else if (chars[j] == "'" || chars[j] == "-") && isAlnum(j - 1) && isAlnum(j + 1) {
                        word.append(chars[j])
                    } else if (chars[j] == "." || chars[j] == ",") && isDigit(j - 1) && isDigit(j + 1) {
                        word.append(chars[j])
                    } else if chars[j] == "." && isAlnum(j + 1) && !isAlnum(j + 2) && Self.isInitialism(word) {
                        word.append(chars[j])   // e.g / u.s / a.m: letters separated by periods
                    } else {
                        break
                    }
                    j += 1
                }
                // A final period belongs to a known abbreviation or an initial ("j.", "u.s.").
                if j < chars.count && chars[j] == "." && !(j + 1 < chars.count && chars[j + 1] == ".")
                    && (abbreviations.contains(word) || (Self.isInitialism(word) && word != "a" && word != "i")) {
                    word.append(".")
                    j += 1
                }
                tokens.append(contentsOf: splitContraction(word))
                i = j
                continue
            }
            if c == "." && i + 2 < chars.count && chars[i + 1] == "." && chars[i + 2] == "." {
                var j = i
                while j < chars.count && chars[j] == "." { j += 1 }
                tokens.append("...")
                i = j
                continue
            }
            if c == "-" && i + 1 < chars.count && chars[i + 1] == "-" {
                var j = i
                while j < chars.count && chars[j] == "-" { j += 1 }
                tokens.append("--")
                i = j
                continue
            }
            tokens.append(String(c))
            i += 1
        }
        return tokens
    }

    /// A single letter or letters separated by periods ("j", "u.s", "e.g").
    private static func isInitialism(_ word: String) -> Bool {
        let parts = word.split(separator: ".", omittingEmptySubsequences: false)
        return parts.allSatisfy { $0.count == 1 && $0.first?.isLetter == true }
    }

    /// Splits Treebank contractions off a word: `n't`, `'s`, `'re`, `'ve`, `'ll`, `'m`, `'d`.
    static func splitContraction(_ word: String) -> [String] {
        if word.count > 3 && word.hasSuffix("n't") {
            return [String(word.dropLast(3)), "n't"]
        }
        for suffix in contractionSuffixes where word.count > suffix.count && word.hasSuffix(suffix) {
            return [String(word.dropLast(suffix.count)), suffix]
        }
        return [word]
    }
}
