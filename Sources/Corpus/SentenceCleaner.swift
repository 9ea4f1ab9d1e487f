/// Cleaning and sentence splitting shared by the demo-corpus readers. Pure functions over strings.
public enum SentenceCleaner {
    /// Typographic characters replaced by ASCII before anything else (curly quotes, dashes, ellipsis,
    /// non-breaking space).
    static let replacements: [Character: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{201C}": "\"", "\u{201D}": "\"", "\u{2013}": "-",
        "\u{2014}": "--", "\u{2026}": "...", "\u{00A0}": " ",
    ]

    /// Characters that mark a line as markup, code, an e-mail quote or ASCII art rather than prose.
    static let technicalCharacters: Set<Character> = [
        "<", ">", "|", "{", "}", "[", "]", "\\", "_", "#", "=", "@", "~", "^", "*", "+", "`",
    ]

    /// Replaces typographic characters by ASCII and collapses runs of white space into single spaces,
    /// trimming both ends.
    public static func normalize(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for c in text {
            let piece = replacements[c] ?? String(c)
            for d in piece {
                if d.isWhitespace {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(" ") }
                    pendingSpace = false
                    out.append(d)
                }
            }
        }
        return out
    }

    /// Collapses runs of `!` and `?` ("what?!!" → "what?"): the first mark of the run is kept.
    public static func collapseRepeatedMarks(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            if (c == "!" || c == "?"), let last = out.last, last == "!" || last == "?" { continue }
            out.append(c)
        }
        return out
    }

    /// Removes a leading ellipsis or dash ("... and then" → "and then"), which marks a continued quotation.
    public static func stripLeadingEllipsis(_ text: String) -> String {
        var rest = Substring(text)
        while let first = rest.first, first == "." || first == "-" || first == " " { rest = rest.dropFirst() }
        return String(rest)
    }

    /// Why a sentence was rejected, for the statistics the command prints.
    public enum Rejection: String, CaseIterable, Error, Sendable {
        case nonASCII = "non-ASCII"
        case url = "URL or e-mail"
        case technical = "markup/code characters"
        case fewLetters = "mostly non-letters"
        case fragment = "fragment"
        case tooShort = "too short"
        case tooLong = "too long"
    }

    /// Checks a normalized sentence (before tokenization): rejects any non-ASCII character (after
    /// `normalize`; such lines are foreign-language or art), URLs and e-mail addresses, markup/code characters
    /// and control characters (fortunes use backspace overstrikes and bells),
    /// text whose non-space characters are less than 70% letters, and fragments: an odd number of double
    /// quotes (a quotation cut by sentence splitting), emoticons (`:-)`, `;-)`, `:)`, `:(`), file paths (a
    /// `/` at the start of a word), and a first character other than a letter, digit, quote or `(`.
    /// Returns nil when the text passes.
    public static func rejection(of text: String) -> Rejection? {
        var letters = 0
        var visible = 0
        for c in text {
            if !c.isASCII { return .nonASCII }
            if technicalCharacters.contains(c) { return .technical }
            if let a = c.asciiValue, a == 127 || (a < 32 && !c.isWhitespace) { return .technical }
            if c.isWhitespace { continue }
            visible += 1
            if c.isLetter { letters += 1 }
        }
        let lower = text.lowercased()
        for marker in ["http:", "https:", "ftp:", "www.", ".com", ".org", ".net", ".edu", "mailto:"]
        where lower.contains(marker) {
            return .url
        }
        if visible == 0 || Double(letters) < 0.7 * Double(visible) { return .fewLetters }
        if text.count(where: { $0 == "\"" }) % 2 == 1 { return .fragment }
        for marker in [":-", ";-", ":)", ":(", ";)", " /"] where text.contains(marker) { return .fragment }
        if let first = text.first, !(first.isLetter || first.isNumber || "\"'(".contains(first)) {
            return .fragment
        }
        return nil
    }

    /// Splits prose into sentences after `.`, `!` or `?` (runs of them, and closing quotes or brackets after
    /// them) when white space and then an upper-case letter, a digit or an opening quote follow, unless the
    /// word before the period is a known abbreviation or a single capital letter (an initial). Text without
    /// such a boundary is one sentence. Pieces are trimmed; empty pieces are dropped.
    public static func splitSentences(_ text: String) -> [String] {
        let chars = Array(text)
        var sentences: [String] = []
        var start = 0
        var i = 0
        while i < chars.count {
            guard chars[i] == "." || chars[i] == "!" || chars[i] == "?" else { i += 1; continue }
            var end = i
            while end + 1 < chars.count && ".!?".contains(chars[end + 1]) { end += 1 }
            while end + 1 < chars.count && "\"')".contains(chars[end + 1]) { end += 1 }
            var next = end + 1
            guard next < chars.count, chars[next].isWhitespace else { i = end + 1; continue }
            while next < chars.count && chars[next].isWhitespace { next += 1 }
            guard next < chars.count, chars[next].isUppercase || chars[next].isNumber || chars[next] == "\""
            else { i = end + 1; continue }
            if chars[i] == "." && i == end && isAbbreviation(before: i, in: chars) { i = end + 1; continue }
            appendTrimmed(chars[start...end], to: &sentences)
            start = next
            i = next
        }
        if start < chars.count { appendTrimmed(chars[start...], to: &sentences) }
        return sentences
    }

    private static func isAbbreviation(before period: Int, in chars: [Character]) -> Bool {
        var k = period - 1
        while k >= 0 && (chars[k].isLetter || chars[k] == ".") { k -= 1 }
        let word = String(chars[(k + 1)..<period])
        if word.count == 1, let c = word.first, c.isUppercase, c != "I" { return true }
        return Tokenizer.abbreviations.contains(word.lowercased())
    }

    private static func appendTrimmed(_ piece: ArraySlice<Character>, to sentences: inout [String]) {
        let s = normalize(String(piece))
        if !s.isEmpty { sentences.append(s) }
    }
}
