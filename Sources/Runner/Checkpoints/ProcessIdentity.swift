import Foundation

/// What tells one process apart from every other, across containers: the host name is not enough (containers and
/// PID namespaces share it, and their process ids overlap), so a lock holder also names the kernel's boot, its
/// PID namespace and its start time. Read from Linux's `/proc`; nil where it is not there.
enum ProcessIdentity {
    /// `/proc/sys/kernel/random/boot_id`: one per boot of the kernel, shared by every container on it.
    static func bootID() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8) else {
            return nil
        }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }

    /// The PID namespace of this process, as `readlink /proc/self/ns/pid` shows it (`pid:[4026531836]`).
    static func pidNamespace() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = readlink("/proc/self/ns/pid", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// When process `pid` (of this PID namespace) started, in clock ticks since boot: field 22 of
    /// `/proc/PID/stat`. A process id reused by a later process has a later start time. Nil when the `/proc` mounted
    /// here is another PID namespace's (`unshare --pid` without `--mount-proc`), where PID would name another process.
    static func startTime(of pid: Int32) -> UInt64? {
        guard procShowsThisNamespace,
            let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { return nil }
        return startTime(statLine: text)
    }

    /// This process's start time, from `/proc/self/stat` (right whichever namespace `/proc` shows).
    static func ownStartTime() -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8) else { return nil }
        return startTime(statLine: text)
    }

    /// Whether `/proc` shows this process's PID namespace: its entry for `self` carries the pid `getpid()` gives.
    static var procShowsThisNamespace: Bool {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let pid = text.split(separator: " ", maxSplits: 1).first.flatMap({ Int32($0) })
        else { return false }
        return pid == getpid()
    }

    /// Field 22 of a `/proc/PID/stat` line. The command name (field 2) is in parentheses and may hold spaces and
    /// parentheses itself, so fields are counted after its last `)`: field 3 is the first there.
    static func startTime(statLine text: String) -> UInt64? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        let index = 22 - 3
        guard fields.count > index else { return nil }
        return UInt64(fields[index])
    }
}
