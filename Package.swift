// swift-tools-version:6.1
import PackageDescription

// Versions are pinned to the copies this project's machines can resolve (see docs/development.md).
let package = Package(
    name: "runner",
    platforms: [.macOS(.v14)],
    products: [
        // One executable does every command; `validate` and `schema` never initialise the FFmpeg libraries.
        .executable(name: "runner", targets: ["RunnerCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        // The HTTP transport (SwiftNIO): streams bodies with their length and backpressure; see docs/architecture.md.
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        // `runner serve`: the HTTP server (on the same SwiftNIO as the client) and the runs' store (SQLite, Debian's
        // libsqlite3-dev). Traits off: the server reads its settings itself, not through swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1", traits: []),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        // Hummingbird's own lifecycle library, named so that the server stops its runs before its connections.
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
    ],
    targets: [
        .systemLibrary(name: "CFFmpeg", pkgConfig: "libavformat libavcodec libavutil libswscale libavfilter"),
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto"),
        // CRC32 for S3's upload checksums.
        .systemLibrary(name: "CZlib", pkgConfig: "zlib"),
        // HEIC, HEIF and AVIF frames (Debian's libheif-dev): FFmpeg 5.1 reads none of them.
        .systemLibrary(name: "CHeif", pkgConfig: "libheif"),
        .target(name: "Manifest", dependencies: ["Yams"]),
        .target(
            name: "Storage",
            dependencies: [
                "Manifest", "COpenSSL", "CZlib",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(name: "Media", dependencies: ["CFFmpeg", "CHeif"]),
        .target(name: "Runway", dependencies: ["Manifest", "Storage", "Media"]),
        .target(name: "Stages", dependencies: ["Manifest", "Storage", "Media", "Runway"]),
        .target(name: "Runner", dependencies: ["Manifest", "Storage", "Stages"]),
        // `runner serve`: the original system's HTTP API and the runs API over the engine.
        .target(
            name: "Server",
            dependencies: [
                "Manifest", "Runner", "Storage", "Runway", "Stages", "Media",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "RunnerCLI",
            dependencies: [
                "Manifest", "Runner", "Media", "Storage", "Runway", "Stages", "Server",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "ManifestTests", dependencies: ["Manifest", "TestSupport"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage", "Manifest", "TestSupport"]),
        // Helpers shared by test targets (the Runway double's tenants); never part of the product.
        .target(name: "TestSupport", dependencies: ["Manifest", "Storage", "Runway"], path: "Tests/TestSupport"),
        .testTarget(name: "StagesTests", dependencies: ["Stages", "TestSupport"]),
        .testTarget(name: "RunnerCLITests", dependencies: ["Manifest", "TestSupport"], exclude: ["Support"]),
        .testTarget(name: "MediaTests", dependencies: ["Media", "TestSupport"]),
        .testTarget(name: "RunwayTests", dependencies: ["Runway", "TestSupport"], exclude: ["Double"]),
        .testTarget(
            name: "RunnerTests", dependencies: ["Runner", "Stages", "Storage", "Manifest", "TestSupport"],
            exclude: ["Support/webhook_receiver.py", "Support/canary_listener.py", "Golden/Fixtures"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server", "Runner", "Manifest", "Storage", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            exclude: ["Browser/page_check.py"]),
    ]
)
