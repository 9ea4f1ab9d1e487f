/// The values templates see. Built from loaded runs only; templates never reach the store. No optionals:
/// a nil property would make Mustache look the name up in the enclosing context, so conditional parts
/// have a `hasX` flag next to a plain string.

/// A table as the `table` partial shows it, with links to its CSV and LaTeX files.
public struct TableView: Sendable {
    public struct CellView: Sendable {
        public var text: String
        public var numeric: Bool
        public var highlight: Bool
        public var sortValue: String
        public var hasSortValue: Bool
        public var link: String
        public var hasLink: Bool
    }
    public struct RowView: Sendable { public var cells: [CellView] }

    public var id: String
    public var title: String
    /// False when the heading above already says the title (a report exhibit's table).
    public var hasTitle: Bool
    public var caption: String
    public var hasCaption: Bool
    public var notes: [String]
    public var columns: [String]
    public var rows: [RowView]
    public var hasRows: Bool
    public var sortable: Bool
    public var csv: String
    public var latex: String
    public var hasDownloads: Bool

    /// `downloads`: the page-relative directory where the table's `.csv` and `.tex` are written, or nil.
    init(_ t: SiteTable, downloads: String?, sortable: Bool = false, heading: String? = nil) {
        id = t.id
        title = t.title
        hasTitle = !t.title.isEmpty && t.title != heading
        caption = t.caption
        hasCaption = !t.caption.isEmpty
        notes = t.notes
        columns = t.columns
        rows = t.rows.map { row in
            RowView(cells: row.map { c in
                CellView(text: c.text, numeric: c.number != nil, highlight: c.highlight,
                         sortValue: c.number.map { NumberFormat.fixed($0, digits: 9) } ?? "", hasSortValue: c.number != nil,
                         link: c.link ?? "", hasLink: c.link != nil)
            })
        }
        hasRows = !t.rows.isEmpty
        self.sortable = sortable
        csv = downloads.map { "\($0)/\(t.id).csv" } ?? ""
        latex = downloads.map { "\($0)/\(t.id).tex" } ?? ""
        hasDownloads = downloads != nil && !t.rows.isEmpty
    }
}

/// A figure as the `figure` partial shows it.
public struct FigureView: Sendable {
    public var id: String
    public var title: String
    /// False when the heading above already says the title (a report exhibit's figure).
    public var showTitle: Bool
    public var caption: String
    public var hasCaption: Bool
    public var notes: [String]
    public var hasImage: Bool
    public var png: String
    public var svg: String
    public var pdf: String
    public var width: Int
    public var height: Int
    /// Wider than one grid column: spans the whole row.
    public var wide: Bool

    /// `directory`: page-relative directory holding `<id>.png`, `<id>.svg` and `<id>.pdf`.
    init(_ f: SiteFigure, directory: String, heading: String? = nil) {
        id = f.id
        title = f.title
        showTitle = f.title != heading
        caption = f.caption
        hasCaption = !f.caption.isEmpty
        notes = f.notes
        hasImage = f.plot != nil
        png = "\(directory)/\(f.id).png"
        svg = "\(directory)/\(f.id).svg"
        pdf = "\(directory)/\(f.id).pdf"
        width = f.width
        height = f.height
        wide = f.width > 600
    }
}

public struct NavLink: Sendable { public var title: String; public var href: String }

/// What the header and footer partials need, on every page.
public struct PageChrome: Sendable {
    public var pageTitle: String
    /// "" on the index, "../" one level down.
    public var root: String
    public var navReports: [NavLink]
    public var toolVersion: String
    public var storeSummary: String
}

public struct IndexPage: Sendable {
    public var chrome: PageChrome
    public var runCount: Int
    public var split: String
    public var runsTable: TableView
    /// Runs that differ only in their seed, aggregated (nil when there are none).
    public var seedGroupsTable: TableView?
    public var hasSeedGroups: Bool
    /// More runs than `foldAbove`: the per-run table starts folded (filter and sort still work when opened).
    public var foldRuns: Bool
    public static let foldAbove = 200
    public var reports: [ReportLink]
    public var hasReports: Bool
    public var downloads: [NavLink]
    public struct ReportLink: Sendable { public var title: String; public var href: String; public var description: String; public var hasDescription: Bool }
}

public struct RunPage: Sendable {
    public var chrome: PageChrome
    public var name: String
    public var status: String
    public var statusClass: String
    public var corpus: String
    public var createdAt: String
    public var finishedAt: String
    public var hasFinishedAt: Bool
    public var runID: String
    public var store: String
    public var split: String
    public var verdict: String
    public var verdictClass: String
    public var diagnosis: [String]
    public var configTable: TableView
    /// The settings that differ from the defaults (nil when the build was given no defaults).
    public var changedTable: TableView?
    public var hasDefaults: Bool
    public var provenanceTable: TableView
    public var curves: [FigureView]
    public var metricsTable: TableView
    public var dimensionFigures: [FigureView]
    public var dimensionsTable: TableView
    public var reconstructionTables: [TableView]
    public var priorTable: TableView
    public var interpolationTables: [TableView]
}

public struct ReportPage: Sendable {
    public var chrome: PageChrome
    public var title: String
    public var description: String
    public var hasDescription: Bool
    public var runSummary: String
    public var specFile: String
    public var exhibits: [ExhibitView]
    public struct ExhibitView: Sendable {
        public var id: String
        public var title: String
        public var caption: String
        public var hasCaption: Bool
        public var notes: [String]
        public var figures: [FigureView]
        public var hasFigures: Bool
        public var tables: [TableView]
    }
}
