import Foundation

/// A table of the site, the one value behind its HTML, CSV and LaTeX forms, so the three always hold the
/// same numbers: every cell's text is formatted once, here, and each writer only escapes it.
public struct SiteTable: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        /// The text shown (numbers already formatted).
        public var text: String
        /// The number behind the text, for sorting in the browser; nil for text cells and missing values.
        public var number: Double?
        /// Highlighted cells (e.g. an interpolation step that repeats its neighbour) are bold / marked.
        public var highlight: Bool
        /// A site-relative link (only ever a slug path built by the site).
        public var link: String?
        /// For a mean over runs (`number`): the sample standard deviation and the number of runs.
        public var sd: Double?
        public var count: Int?

        public init(text: String, number: Double? = nil, highlight: Bool = false, link: String? = nil) {
            self.text = text
            self.number = number
            self.highlight = highlight
            self.link = link
        }

        /// The mean ± sample SD (n) of several runs' values; sorted and exported by the mean.
        static func aggregate(_ s: SeriesStatistics) -> Cell {
            var c = Cell(text: "\(NumberFormat.auto(s.mean)) ± \(NumberFormat.auto(s.sd)) (\(s.count))", number: s.mean)
            c.sd = s.sd
            c.count = s.count
            return c
        }

        /// A text cell.
        public static func text(_ s: String, highlight: Bool = false, link: String? = nil) -> Cell {
            Cell(text: s, highlight: highlight, link: link)
        }

        /// A number with `digits` decimals; NaN and ±inf show as "n/a" / "∞" / "−∞", a missing value as "—".
        public static func number(_ x: Double?, digits: Int = 2) -> Cell {
            guard let x else { return Cell(text: "—") }
            return Cell(text: NumberFormat.fixed(x, digits: digits), number: x.isFinite ? x : nil)
        }
    }

    /// File-name stem (a slug, unique within its page).
    public var id: String
    public var title: String
    public var caption: String
    public var columns: [String]
    public var rows: [[Cell]]
    /// Said instead of (or under) the table when data is missing: "no probe results in these runs".
    public var notes: [String]
    /// Column headers for LaTeX when they need math (e.g. `$\mathrm{KL}_d$`); nil = `columns`, escaped.
    public var latexColumns: [String]?

    public init(id: String, title: String, caption: String = "", columns: [String], rows: [[Cell]],
                notes: [String] = []) {
        self.id = id
        self.title = title
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.notes = notes
    }

    /// Columns whose every cell is a number or missing ("—").
    var numericColumns: [Bool] {
        columns.indices.map { c in
            !rows.isEmpty && rows.allSatisfy { c < $0.count && ($0[c].number != nil || $0[c].text.hasPrefix("—")) }
                && rows.contains { c < $0.count && $0[c].number != nil }
        }
    }

    /// RFC 4180 CSV, header row first, LF line ends. Numeric columns hold numbers only, at full precision
    /// (the shortest text that reads back to the same Double); a missing value is an empty field.
    public func csv() -> String {
        let numeric = numericColumns
        // A column holding means over runs gets two more: their standard deviation and count.
        let spread = columns.indices.map { c in rows.contains { c < $0.count && $0[c].sd != nil } }
        var header: [String] = []
        for (c, name) in columns.enumerated() {
            header.append(Escape.csv(name))
            if spread[c] { header += [Escape.csv(name + " sd"), Escape.csv(name + " n")] }
        }
        var lines = [header.joined(separator: ",")]
        for row in rows {
            var fields: [String] = []
            for (c, cell) in row.enumerated() {
                if c < numeric.count, numeric[c] {
                    fields.append(cell.number.map(NumberFormat.full) ?? "")
                } else {
                    // A mixed column: a numeric cell's text is a number ("-0.241"), not a formula to guard.
                    fields.append(Escape.csv(cell.text, isNumber: cell.number != nil))
                }
                if c < spread.count, spread[c] {
                    fields.append(cell.sd.map(NumberFormat.full) ?? "")
                    fields.append(cell.count.map(String.init) ?? (cell.number == nil ? "" : "1"))
                }
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A booktabs `tabular` (needs `\usepackage{booktabs}`) that compiles with pdflatex: numeric columns
    /// right-aligned with one number of decimals per column (so the points line up) and `$-$` minus signs; long
    /// text columns wrap (`p{…}`); Unicode symbols in math mode; highlighted cells in bold.
    public func latex() -> String {
        let numeric = numericColumns
        let decimals = columns.indices.map { c -> Int in
            guard numeric[c] else { return 0 }
            let numbers = rows.compactMap { c < $0.count ? $0[c].number : nil }
            if numbers.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e12 }) { return 0 }
            let largest = numbers.map(abs).max() ?? 0
            return largest >= 1000 ? 1 : (largest >= 10 ? 2 : 3)
        }
        let longest = columns.indices.map { c in rows.map { c < $0.count ? $0[c].text.count : 0 }.max() ?? 0 }
        let spec = columns.indices.map { c in numeric[c] ? "r" : (longest[c] > 40 ? "p{0.45\\linewidth}" : "l") }.joined()
        var out = "% \(Escape.latexComment(title))\n"
        out += "\\begin{tabular}{\(spec)}\n\\toprule\n"
        out += (latexColumns ?? columns.map { Escape.latex($0) }).joined(separator: " & ") + " \\\\\n\\midrule\n"
        for row in rows {
            let cells = row.enumerated().map { c, cell -> String in
                let t: String
                if cell.text.hasPrefix("—") {
                    t = "---"
                } else if c < numeric.count, numeric[c], let x = cell.number {
                    func number(_ v: Double) -> String {
                        let s = NumberFormat.fixed(v, digits: decimals[c])
                        return s.hasPrefix("-") ? "$-$" + s.dropFirst() : s
                    }
                    if let sd = cell.sd, let n = cell.count {
                        t = number(x) + " $\\pm$ " + number(sd) + " (\(n))"
                    } else {
                        t = number(x)
                    }
                } else {
                    t = Escape.latex(cell.text)
                }
                return cell.highlight ? "\\textbf{\(t)}" : t
            }
            out += cells.joined(separator: " & ") + " \\\\\n"
        }
        out += "\\bottomrule\n\\end{tabular}\n"
        return out
    }
}

extension Escape {
    /// A LaTeX comment line: newlines flattened so the text cannot escape the comment.
    static func latexComment(_ s: String) -> String {
        s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}

/// Deterministic number formatting shared by every output (no locale, no platform differences).
public enum NumberFormat {
    /// `digits` decimals, "−" never used (plain ASCII minus so CSV stays numeric); NaN → "n/a",
    /// ±inf → "inf"/"-inf"; negative zero prints as 0.
    public static func fixed(_ x: Double, digits: Int) -> String {
        if x.isNaN { return "n/a" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        let s = String(format: "%.\(max(0, min(digits, 12)))f", x)
        if s.hasPrefix("-"), s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { return String(s.dropFirst()) }
        return s
    }

    /// Sensible digits for a metric's magnitude: 3 significant decimals below 10, 2 below 1000, else 1.
    /// The shortest text that reads back to the same Double ("0.1", "3", "1e-05"); NaN → empty, ±inf → "inf".
    public static func full(_ x: Double) -> String {
        if x.isNaN { return "" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    public static func auto(_ x: Double) -> String {
        let a = abs(x)
        if a < 10 { return fixed(x, digits: 3) }
        if a < 1000 { return fixed(x, digits: 2) }
        return fixed(x, digits: 1)
    }
}
