import Foundation

/// Reads the example sentences of WordNet's glosses (`wordnet-base`, /usr/share/wordnet/data.noun,
/// data.verb, data.adj, data.adv).
///
/// A data line is `offset lex_filenum ss_type w_cnt word lex_id … | gloss`; the gloss is a definition
/// followed by `;`-separated examples in double quotes: `| the act of rallying; "he singled to start a
/// rally"; "he feared the rallying of their troops"`. Lines starting with spaces are the licence header.
public enum WordNetReader {
    /// The data files read, in order.
    public static let dataFiles = ["data.noun", "data.verb", "data.adj", "data.adv"]

    /// The gloss of a data line (the text after the first " | "), or nil for header lines and lines
    /// without a gloss.
    public static func gloss(ofLine line: Substring) -> Substring? {
        guard let first = line.first, !first.isWhitespace, let bar = line.range(of: " | ") else { return nil }
        return line[bar.upperBound...]
    }

    /// The double-quoted example sentences of a gloss, normalized; an unmatched quote ends the scan.
    /// Empty quotes are dropped.
    public static func examples(inGloss gloss: Substring) -> [String] {
        var examples: [String] = []
        var rest = gloss[...]
        while let open = rest.firstIndex(of: "\"") {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "\"") else { break }
            let example = SentenceCleaner.normalize(String(rest[afterOpen..<close]))
            if !example.isEmpty { examples.append(example) }
            rest = rest[rest.index(after: close)...]
        }
        return examples
    }

    /// Every example sentence of a data file's text, in file order.
    public static func examples(inDataFile text: String) -> [String] {
        var all: [String] = []
        for line in text.split(separator: "\n") {
            if let g = gloss(ofLine: line) { all.append(contentsOf: examples(inGloss: g)) }
        }
        return all
    }
}
