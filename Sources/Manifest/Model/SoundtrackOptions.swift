/// A film's sound made again: a music bed, voice-over, the clips' own sound, ducking and a loudness target
/// (`type: soundtrack`). The picture is stream-copied.
public struct SoundtrackOptions: Sendable {
    /// The music bed, looped or trimmed to the film; nil for none.
    public var music: Music?
    /// Voice-over: one file for the whole film, or files placed at the start of the clips of matching frames.
    public var voice: Voice?
    /// Whether the clips' own sound is mixed in.
    public var clipAudio: ClipAudio
    /// The music lowered under the voice; nil: not lowered.
    public var duck: Ducking?
    /// The mix's integrated loudness and true-peak ceiling.
    public var loudness: Loudness

    public init(
        music: Music?, voice: Voice?, clipAudio: ClipAudio = .keep, duck: Ducking? = nil,
        loudness: Loudness = Loudness()
    ) {
        self.music = music
        self.voice = voice
        self.clipAudio = clipAudio
        self.duck = duck
        self.loudness = loudness
    }

    /// A music bed.
    public struct Music: Sendable, Equatable {
        /// The file: a path (resolved against the manifest's folder) or an `s3://` location.
        public var file: Location
        /// Seconds of fade from silence at the film's start.
        public var fadeIn: Double
        /// Seconds of fade to silence at the film's end.
        public var fadeOut: Double
        /// Gain in dB applied to the music before mixing (0: as it is).
        public var level: Double

        public init(file: Location, fadeIn: Double = 0, fadeOut: Double = 0, level: Double = 0) {
            self.file = file
            self.fadeIn = fadeIn
            self.fadeOut = fadeOut
            self.level = level
        }
    }

    /// Voice-over.
    public enum Voice: Sendable, Equatable {
        /// One file from the film's start.
        case whole(Location)
        /// Each file from the start of the clip made from the first frame its glob matches.
        case perClip([VoiceLine])
    }

    /// One voice file placed at a clip.
    public struct VoiceLine: Sendable, Equatable {
        /// A glob on the frame's file name (the clip's chapter title in the film).
        public var match: String
        public var file: Location
        public var position: SourcePosition

        public init(match: String, file: Location, position: SourcePosition) {
            self.match = match
            self.file = file
            self.position = position
        }
    }

    /// The clips' own sound.
    public enum ClipAudio: String, Sendable, CaseIterable, Codable {
        /// Mixed in.
        case keep
        /// Left out.
        case drop
    }

    /// Music lowered while a voice plays.
    public struct Ducking: Sendable, Equatable {
        /// How far, in dB (positive).
        public var by: Double
        /// Seconds to go down when a voice starts.
        public var attack: Double
        /// Seconds to come back up after it stops.
        public var release: Double

        public init(by: Double = 12, attack: Double = 0.05, release: Double = 0.4) {
            self.by = by
            self.attack = attack
            self.release = release
        }
    }

    /// EBU R128 loudness.
    public struct Loudness: Sendable, Equatable {
        /// Integrated loudness in LUFS.
        public var target: Double
        /// True-peak ceiling in dBTP.
        public var truePeak: Double

        public init(target: Double = -14, truePeak: Double = -1) {
            self.target = target
            self.truePeak = truePeak
        }
    }
}
