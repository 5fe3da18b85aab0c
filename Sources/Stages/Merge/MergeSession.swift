import Foundation
import Manifest
import Media
import Storage

extension MergeStage {
    /// A session that makes this stage's film while its clips are still being made, or nil when the film cannot be
    /// made so: a re-encoding merge (a transition or `mode: reencode`) needs all its clips at once.
    /// `clipCount` is the number of clips the film will have, in film order (the generate stage's frames).
    public func session(clipCount: Int, stores: StoreCache, workDirectory: URL) -> Session? {
        guard clipCount > 0, options.mode != .reencode, options.transition == nil,
            options.transitions.isEmpty, let media = try? mediaOptions()
        else { return nil }
        return Session(
            stage: name, clipCount: clipCount, options: media, fileExtension: fileExtension, stores: stores,
            workDirectory: workDirectory)
    }

    /// A film made as its clips land: each clip is given (`land`) the moment it is recorded, in any order; its
    /// copy is checked against its record and the row of the contact sheet made from it (off the critical path);
    /// the clips are appended to the film in film order as soon as they are contiguous (`IncrementalCopyMerge`).
    /// When the stage runs, `film(for:)` hands the finished film and sheet over if the session holds exactly the
    /// clips of the stage's work, in order; otherwise (a clip failed or was skipped, a clip would make the merge
    /// re-encode, anything went wrong) it hands nothing and the stage merges as it always does. The session only
    /// ever writes in its own scratch folder: the stage's key, decision and records are the stage's, as before.
    public actor Session {
        public nonisolated let stage: String
        public nonisolated let clipCount: Int
        private let options: Media.MergeOptions
        private let stores: StoreCache
        private let folder: URL
        private let filmPath: String
        private let stop = StopFlag()
        private let merge: IncrementalCopyMerge?

        /// The clip given for each place in the film.
        private var clips: [Artifact?]
        /// Local copies checked against their records, waiting for their turn in the film.
        private var ready: [Int: String] = [:]
        /// The next place in the film to append.
        private var next = 0
        private var appending = false
        /// The contact sheet's rows made so far, by place in the film; nil for a row that could not be made.
        private var rows: [Int: Thumbnails.SheetRow?] = [:]
        /// The places whose sheet row is wanted (a long film's sheet shows a sample).
        private let sampled: Set<Int>
        /// Rows waiting to be made (place, local clip, frame location), and whether they are being made.
        private var rowQueue: [(Int, String, Location)] = []
        /// How many row makers run (at most `rowMakers`: the clips still being made keep some of the cores).
        private var makingRows = 0
        private static let rowMakers = 2
        /// The contact sheet, composed once its rows are made (started when the film is asked for).
        private var sheet: Task<String?, Never>?
        /// Work started for landed clips and not finished yet.
        private var busy = 0
        /// Callers waiting for the session's state to change (`wait`).
        private var waiters: [CheckedContinuation<Void, Never>] = []
        /// Why the session gave up, once it has.
        public private(set) var problem: String?

        init(
            stage: String, clipCount: Int, options: Media.MergeOptions, fileExtension: String, stores: StoreCache,
            workDirectory: URL
        ) {
            self.stage = stage
            self.clipCount = clipCount
            self.options = options
            self.stores = stores
            folder = workDirectory.appendingPathComponent("film-in-progress-\(UUID().uuidString)", isDirectory: true)
            filmPath = folder.appendingPathComponent("film.\(fileExtension)").path
            clips = Array(repeating: nil, count: clipCount)
            sampled = Set(Thumbnails.sample(clipCount))
            let stop = self.stop
            do {
                try stores.checkWrite(path: folder.path)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                merge = try IncrementalCopyMerge(
                    output: filmPath, clipCount: clipCount, options: options,
                    shouldStop: { stop.isSet })
            } catch {
                merge = nil
                problem = "\(error)"
            }
        }

        /// The clip at `index` (0-based place in the film) is recorded: check it, make its sheet row and append it
        /// when its turn comes. Returns at once; the work goes on in the session.
        public func land(_ index: Int, clip: Artifact) {
            guard problem == nil else { return }
            guard clips.indices.contains(index), clips[index] == nil else {
                return giveUp("clip \(index + 1) of \(clipCount) was given twice or is out of range")
            }
            clips[index] = clip
            busy += 1
            Task { await self.prepare(index, clip: clip) }
        }

        /// A clip will not be in the film as planned (it failed, was skipped, or was not made): the film is made
        /// the usual way, from the clips the stage gets.
        public func abandon(_ reason: String) {
            giveUp(reason)
        }

        /// What `film(for:)` hands over: the film (in the session's folder) and its clips' local copies.
        public struct Film: Sendable {
            public let path: String
            public let report: MergeReport
            /// The checked local copies of the clips, in film order.
            public let clips: [String]
        }

        /// The finished film of `work`'s clips, or nil (with `problem` saying why) when the session does not hold
        /// exactly those clips in that order or could not make their film: the caller then merges as usual.
        /// The film's index is written as soon as the last clip is appended, while the last rows of the contact sheet
        /// are still being made; the sheet is composed the moment they are.
        public func film(for work: MergeWork) async -> Film? {
            if problem == nil, work.inputs.count != clipCount || zip(work.inputs, clips).contains(where: { $0 != $1 }) {
                giveUp("the stage's clips are not the ones the session was given")
            }
            guard problem == nil, let merge else {
                await wait { self.isIdle }  // nothing goes on writing in the session's folder
                return nil
            }
            // The sheet as `storeContactSheet` makes it: sampled rows of clips made from a frame, in film order;
            // composed as soon as its last rows are made, while the film is finished and stored (`contactSheet()`).
            let wanted = Thumbnails.sample(clipCount).filter { work.inputs[$0].source != nil }
            sheet = Task { await self.sheetOnceRowsAreMade(wanted) }
            await wait { self.problem != nil || self.next == self.clipCount }
            var report: MergeReport?
            if problem == nil {
                do {
                    report = try await BlockingWork.run { _ in try merge.finish() }
                } catch {
                    giveUp("\(error)")
                }
            }
            if problem == nil, let changed = await Self.firstChangedLocalClip(work.inputs, stores: stores) {
                giveUp(changed)
            }
            guard problem == nil, let report else {
                await wait { self.isIdle }
                return nil
            }
            let paths = (0..<clipCount).compactMap { ready[$0] }
            return Film(path: filmPath, report: report, clips: paths)
        }

        /// Why a local clip is no longer the one that landed (it was deleted or its size changed since), or nil. The
        /// stage then merges as before, which reads the clips again and says which one is gone and what to do; a clip
        /// in S3 was copied into the session's folder and checked when it landed.
        private nonisolated static func firstChangedLocalClip(_ clips: [Artifact], stores: StoreCache) async -> String?
        {
            for (index, clip) in clips.enumerated() {
                guard let (store, key) = try? await stores.open(clip.location), let path = store.localPath(of: key)
                else { continue }
                let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int).map { Int64($0) }
                if size != clip.size { return "clip \(index + 1) was deleted or changed after it landed" }
            }
            return nil
        }

        /// The contact sheet of the film handed over by `film(for:)`, once its rows are made and composed; nil when one
        /// could not be made (the stage then makes it as before, from `Film.clips`).
        public func contactSheet() async -> String? {
            await sheet?.value
        }

        /// The contact sheet of the rows at `wanted`, once they are made; nil when one could not be (or the session
        /// gave up): the stage then makes it as before.
        private func sheetOnceRowsAreMade(_ wanted: [Int]) async -> String? {
            await wait { self.problem != nil || wanted.allSatisfy { self.rows[$0] != nil } }
            let made = wanted.compactMap { rows[$0] ?? nil }
            guard problem == nil, made.count == wanted.count else { return nil }
            return await Self.composeSheet(made, at: folder.appendingPathComponent("contact.png").path)
        }

        /// Writes the sheet of `rows` at `path`, or nil when there are none or it cannot be made (it is then made as before).
        private nonisolated static func composeSheet(_ rows: [Thumbnails.SheetRow], at path: String) async -> String? {
            guard !rows.isEmpty else { return nil }
            return (try? await BlockingWork.run { _ in try Thumbnails.framesBesideClips(rows, output: path) }) != nil
                ? path : nil
        }

        /// Stops any work and deletes the session's folder.
        public func close() async {
            giveUp(problem ?? "closed")
            _ = await sheet?.value
            await wait { self.isIdle }
            try? FileManager.default.removeItem(at: folder)
        }

        private func giveUp(_ reason: String) {
            if problem == nil { problem = reason }
            stop.set()
            merge?.cancel()
            changed()
        }

        private var isIdle: Bool { busy == 0 && !appending && makingRows == 0 }

        /// Returns once `condition` holds; it is checked again at every change of the session's state.
        private func wait(until condition: () -> Bool) async {
            while !condition() { await withCheckedContinuation { waiters.append($0) } }
        }

        private func changed() {
            let waiting = waiters
            waiters = []
            for waiter in waiting { waiter.resume() }
        }

        private func prepare(_ index: Int, clip: Artifact) async {
            defer { done() }
            guard problem == nil else { return }
            let path: String
            do {
                // As `make` does: clips may come from checkpoints, and each is merged only if it is still the clip recorded.
                path = try await StoredFile.localCopy(
                    of: clip.location, in: folder, as: "clip-\(index).mp4", stores: stores)
                try await StoredFile.verify(
                    path, against: clip, described: "the clip of \(InertText.escaped(clip.name))")
            } catch {
                return giveUp("clip \(index + 1): \(error)")
            }
            ready[index] = path
            // Appending comes first: it is what the film waits for; the sheet row is made alongside.
            if !appending {
                busy += 1
                Task { await self.appendReady() }
            }
            guard sampled.contains(index), let source = clip.source, problem == nil else { return }
            rowQueue.append((index, path, source))
            if makingRows < Self.rowMakers {
                busy += 1
                Task { await self.makeRows() }
            }
        }

        /// Makes queued rows of the contact sheet one at a time, in the order their clips landed (`rowMakers` of
        /// these run at most).
        private func makeRows() async {
            defer { done() }
            guard makingRows < Self.rowMakers else { return }
            makingRows += 1
            defer { makingRows -= 1 }
            while problem == nil, !rowQueue.isEmpty {
                let (index, clip, source) = rowQueue.removeFirst()
                do {
                    let frame = try await StoredFile.localCopy(
                        of: source, in: folder, as: "frame-\(index).\(FrameName.fileExtension(of: source.description))",
                        stores: stores)
                    rows[index] = try await BlockingWork.run { _ in
                        try Thumbnails.SheetRow(frame: frame, clip: clip, number: index + 1)
                    }
                } catch {
                    rows[index] = .some(nil)  // the sheet is then made as before, at the end
                }
                changed()
            }
        }

        /// Appends the clips whose turn has come, one at a time, in film order.
        private func appendReady() async {
            defer { done() }
            guard !appending, let merge else { return }
            appending = true
            defer { appending = false }
            while problem == nil, let path = ready[next] {
                // The film's chapter of this clip is titled by its frame, as a merge at the end titles it.
                let title = clips[next]?.name
                do {
                    try await BlockingWork.run { _ in try merge.append(path, title: title) }
                } catch {
                    return giveUp("clip \(next + 1) cannot be appended: \(error)")
                }
                next += 1
                changed()
            }
        }

        private func done() {
            busy -= 1
            changed()
        }
    }
}
