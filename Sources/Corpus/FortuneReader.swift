import Foundation

/// Reads strfile text files (the `fortunes` packages, /usr/share/games/fortunes): records separated by lines
/// holding only `%`; the `.dat` files next to them are binary indexes and are not read.
public enum FortuneReader {
    /// Files of the fortunes packages that are not prose and are skipped.
    public static let excludedFiles: Set<String> = ["ascii-art", "art", "translate-me"]

    /// The records of a strfile text, each as its lines (trailing white space removed). Empty records are
    /// dropped; a file without `%` lines is one record.
    public static func records(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var current: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = String(raw)
            while let last = line.last, last.isWhitespace { line.removeLast() }
            if line == "%" {
                if current.contains(where: { !$0.isEmpty }) { records.append(current) }
                current = []
            } else {
                current.append(line)
            }
        }
        if current.contains(where: { !$0.isEmpty }) { records.append(current) }
        return records
    }

    /// Whether a line is an attribution ("-- Mark Twain", "\t\t-- Groucho Marx, 1932", "― Anon").
    public static func isAttribution(_ line: String) -> Bool {
        let trimmed = line.drop { $0.isWhitespace }
        return trimmed.hasPrefix("--") || trimmed.hasPrefix("\u{2014}") || trimmed.hasPrefix("\u{2015}")
            || trimmed.hasPrefix("- ")
    }

    /// The prose of one record: lines up to the first attribution line (it and everything after it are
    /// dropped, since attributions run over several indented lines), joined into one normalized text.
    /// Records whose lines are mostly indented (poems laid out as art, tables, code) give nil.
    public static func prose(of record: [String]) -> String? {
        var lines: [String] = []
        for line in record {
            if isAttribution(line) { break }
            lines.append(line)
        }
        let nonEmpty = lines.filter { !$0.trimmingPrefixWhitespace.isEmpty }
        guard !nonEmpty.isEmpty else { return nil }
        let indented = nonEmpty.filter { $0.first?.isWhitespace == true }.count
        if nonEmpty.count >= 3 && indented * 2 > nonEmpty.count { return nil }
        let text = stripInlineAttribution(SentenceCleaner.normalize(lines.joined(separator: " ")))
        return text.isEmpty ? nil : text
    }

    /// Removes an attribution written on the same line as the quotation: a final `-- Name` of at most eight
    /// words without `.`, `!` or `?`, after a sentence-final mark or quote ("Free software is… -- Linus
    /// Torvalds" → "Free software is…"). Other dashes are left alone.
    public static func stripInlineAttribution(_ text: String) -> String {
        guard let dash = text.range(of: "--", options: .backwards) else { return text }
        let before = text[..<dash.lowerBound].trimmingCharacters(in: .whitespaces)
        let after = text[dash.upperBound...]
        guard let last = before.last, ".!?\"'".contains(last),
              !after.contains(where: { ".!?".contains($0) }),
              after.split(separator: " ").count <= 8 else { return text }
        return before
    }

    /// The sentences of one record: its prose split into sentences.
    public static func sentences(of record: [String]) -> [String] {
        guard let text = prose(of: record) else { return [] }
        return SentenceCleaner.splitSentences(text)
    }
}

extension String {
    var trimmingPrefixWhitespace: Substring { drop { $0.isWhitespace } }
}
