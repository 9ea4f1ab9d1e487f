// swift-tools-version: 6.1
// VAEScope: diagnostics of posterior collapse in text VAEs.
// Data flows one way: Corpus -> Model -> Training -> Evaluation -> RunStore -> Metrics -> Charts -> Site -> vaescope.
import PackageDescription

/// Release builds of the numeric modules drop bounds checks in their hot loops.
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
/// The model's kernels are optimised in debug builds too (they carry @_specialize for Float and Double):
/// unoptimised they are ~50× slower and the gradient-check and memorisation tests would take minutes.
let optimisedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "VAEScope",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "vaescope", targets: ["vaescope"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // C libraries, each behind a module map and a small shim header.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .systemLibrary(name: "CGD", path: "Sources/CGD"),
        .systemLibrary(name: "CCairo", path: "Sources/CCairo"),

        // Matrices over BLAS: the only module that imports CBLAS.
        .target(name: "Tensor", dependencies: ["CBLAS"], swiftSettings: fastMath + optimisedInDebug),
        // Tokens, vocabulary, batches, length buckets, demo corpus extraction.
        .target(name: "Corpus"),
        // Layers (forward + backward side by side), the text VAE, objectives, schedules, optimisers, decoding.
        .target(name: "Model", dependencies: ["Tensor"], swiftSettings: fastMath + optimisedInDebug),
        // Schema, migrations, records: the only module that speaks SQL.
        .target(name: "RunStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        // Pure metric functions over arrays and texts, no I/O.
        .target(name: "Metrics", dependencies: ["Tensor"], swiftSettings: fastMath),
        // The training loop, evaluation, and what they log into the run store.
        .target(name: "Training", dependencies: [
            "Tensor", "Model", "Corpus", "RunStore", "Metrics", "Yams",
        ]),
        // Evaluation of a trained run (issue 4): IW-NLL, MI, latents, decoding, probe, FCE, written to its store.
        .target(name: "Evaluation", dependencies: ["Training", "Tensor", "Model", "Corpus", "RunStore", "Metrics"],
                swiftSettings: fastMath),
        // Chart description -> layout -> Canvas (PNG via libgd, SVG, PDF via cairo).
        .target(name: "Charts", dependencies: ["CGD", "CCairo"], swiftSettings: fastMath),
        // Load stores -> view models -> templates -> files.
        .target(name: "Site", dependencies: [
            "RunStore", "Metrics", "Charts", "Tensor", "Yams",
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        // `vaescope bench …`: the speed measurements the project ships.
        .target(name: "Bench", dependencies: ["Tensor", "Model", "RunStore", "Metrics", "Charts", "Site"],
                swiftSettings: fastMath),
        // The command line: parse, validate, call one library function.
        .executableTarget(name: "vaescope", dependencies: [
            "Tensor", "Corpus", "Training", "Evaluation", "RunStore", "Metrics", "Charts", "Site", "Bench",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // One seeded generator for every test target (SplitMix64), so no test target keeps its own copy.
        .target(name: "TestSupport", dependencies: ["Tensor"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor"]),
        .testTarget(name: "CorpusTests", dependencies: ["TestSupport", "Corpus"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Tensor"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "MetricsTests", dependencies: ["TestSupport", "Metrics", "Tensor"], resources: [.copy("Fixtures")]),
        .testTarget(name: "TrainingTests", dependencies: ["TestSupport", "Training", "Evaluation", "Model", "Corpus", "RunStore", "Tensor",
                                                        .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "ChartsTests", dependencies: ["TestSupport", "Charts"]),
        .testTarget(name: "SiteTests", dependencies: ["Site", "RunStore", "Metrics"]),
        .testTarget(name: "CLITests", dependencies: ["vaescope", "RunStore", .product(name: "GRDB", package: "GRDB.swift")]),
    ]
)
