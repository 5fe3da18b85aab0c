/// The `soundtrack` stage's keys.
extension ManifestShape {
    static let voiceLine = ObjectShape(
        "A voice file placed at the start of the clip made from the first frame (in film order) its glob matches.",
        [
            Field(
                "match", .text(.glob), required: true, example: "\"frame_03_*\"",
                "A glob on the frame's file name (case is ignored); matching no clip of the film fails the stage."),
            Field(
                "file", .text(.location), required: true, example: "./voice/03.m4a",
                "The voice file: a path inside the project, or an S3 location."),
        ])

    static let duck = ObjectShape(
        "The music lowered while a voice is heard (above -50 dBFS).",
        [
            Field(
                "by", .text(.decibels), default: "12dB", example: "12dB",
                "How far the music goes down, 1 to 40 dB."),
            Field("attack", .text(.duration), default: "50ms", example: "50ms", "How long it takes to go down."),
            Field(
                "release", .text(.duration), default: "400ms", example: "400ms",
                "How long it takes to come back once the voice stops."),
        ])

    static let loudness = ObjectShape(
        "The mix's loudness as EBU R128 measures it.",
        [
            Field(
                "target", .number(min: -50, max: -5), default: "-14", example: "-16",
                "Integrated loudness in LUFS (-14 for streaming sites, -23 for broadcast)."),
            Field(
                "truePeak", .number(min: -9, max: 0), default: "-1", example: "-2",
                "The true-peak ceiling in dBTP; a limiter holds the mix under it."),
        ])

    static let soundtrack = ObjectShape(
        "The film's sound made again: its clips' own sound, a music bed and voice-over, the music ducked under the voice, "
            + "brought to a loudness target; AAC 48 kHz stereo in MP4 (Opus in WebM), the picture stream-copied.",
        [
            type,
            Field(
                "needs", .oneOrMany(.identifier), required: true, example: "film",
                "The film it takes: one merge, soundtrack or other film stage."),
            Field(
                "music", .text(.location), example: "./audio/bed.mp3",
                "A music bed: a file inside the project or an S3 location; looped or trimmed to the film."),
            Field(
                "fadeIn", .text(.duration), default: "0s", example: "2s", "The music's fade from silence at the start."),
            Field("fadeOut", .text(.duration), default: "0s", example: "3s", "The music's fade to silence at the end."),
            Field(
                "level", .text(.decibels), default: "0dB", example: "-6dB",
                "The music's gain before mixing, -60 to 20 dB."),
            Field(
                "voice", .textOrList(.location, .object(voiceLine)),
                example: "[{ match: \"frame_03_*\", file: ./voice/03.m4a }]",
                "Voice-over: one file from the film's start, or a list of `{ match, file }` each placed at the start of "
                    + "the clip made from the matching frame."),
            Field(
                "clipAudio", .choice(SoundtrackOptions.ClipAudio.allCases.map(\.rawValue)), default: "keep",
                example: "drop", "`keep` mixes the clips' own sound in; `drop` leaves it out."),
            Field(
                "duck", .object(duck), example: "{ by: 12dB, attack: 50ms, release: 400ms }",
                "Lower the music while a voice is heard; absent: not lowered."),
            Field(
                "loudness", .object(loudness), default: "{ target: -14, truePeak: -1 }",
                example: "{ target: -16, truePeak: -1.5 }", "The loudness the mix is brought to."),
        ])
}
