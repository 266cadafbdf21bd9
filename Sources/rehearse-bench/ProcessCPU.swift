import Foundation

/// The CPU time a process has used, from Linux's `/proc/<pid>/stat`.
enum ProcessCPU {
    /// User plus system time of every thread of process `id`, in seconds (clock-tick resolution).
    static func seconds(of id: Int32) throws -> Double {
        let path = "/proc/\(id)/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let nameEnd = text.lastIndex(of: ")") else {
            throw BenchFailure("could not read \(path)")
        }
        // After "pid (name)": state is field 3, utime field 14, stime field 15.
        let fields = text[text.index(after: nameEnd)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchFailure("\(path) does not have utime and stime where proc(5) puts them")
        }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
