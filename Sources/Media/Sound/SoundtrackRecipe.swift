/// What a soundtrack is made of, with local paths: the film's sound made again from its clips' own sound, a music
/// bed and voice-over, then brought to a loudness target (EBU R128).
public struct SoundtrackRecipe: Sendable, Equatable {
    /// A music bed, looped or trimmed to the film.
    public struct Music: Sendable, Equatable {
        public var path: String
        /// Seconds of linear fade from silence at the film's start.
        public var fadeIn: Double
        /// Seconds of linear fade to silence at the film's end.
        public var fadeOut: Double
        /// Gain in dB before mixing.
        public var level: Double

        public init(path: String, fadeIn: Double = 0, fadeOut: Double = 0, level: Double = 0) {
            self.path = path
            self.fadeIn = fadeIn
            self.fadeOut = fadeOut
            self.level = level
        }
    }

    /// A voice file from `start` seconds of the film.
    public struct Voice: Sendable, Equatable {
        public var path: String
        public var start: Double

        public init(path: String, start: Double) {
            self.path = path
            self.start = start
        }
    }

    /// Music lowered under the voice.
    public struct Ducking: Sendable, Equatable {
        /// dB down while a voice is heard (positive).
        public var depth: Double
        /// Seconds to go down.
        public var attack: Double
        /// Seconds to come back.
        public var release: Double

        public init(depth: Double, attack: Double, release: Double) {
            self.depth = depth
            self.attack = attack
            self.release = release
        }
    }

    public var music: Music?
    public var voices: [Voice]
    /// Whether the film's own sound (its clips') is mixed in.
    public var keepClipAudio: Bool
    public var ducking: Ducking?
    /// Integrated loudness in LUFS.
    public var loudnessTarget: Double
    /// True-peak ceiling in dBTP.
    public var truePeak: Double

    public init(
        music: Music? = nil, voices: [Voice] = [], keepClipAudio: Bool = true, ducking: Ducking? = nil,
        loudnessTarget: Double = -14, truePeak: Double = -1
    ) {
        self.music = music
        self.voices = voices
        self.keepClipAudio = keepClipAudio
        self.ducking = ducking
        self.loudnessTarget = loudnessTarget
        self.truePeak = truePeak
    }
}

/// What making a soundtrack measured and did.
public struct SoundtrackReport: Sendable, Equatable {
    /// The mix's integrated loudness before the gain, in LUFS (nil: silent).
    public var measured: Double?
    /// The gain applied, in dB.
    public var gain: Double
    /// The integrated loudness of the final mix (before encoding), in LUFS (nil: silent).
    public var integrated: Double?
    /// Passes of gain and limiting made (a second when the limiter moved the loudness off the target).
    public var passes: Int
    /// Things to tell the user (a silent film, a voice that runs past the end).
    public var warnings: [String]
}
