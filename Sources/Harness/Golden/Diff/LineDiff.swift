/// One line of an edit script between two line sequences.
enum LineEdit: Equatable {
    case same(old: Int, new: Int)
    case delete(old: Int)
    case insert(new: Int)
}

/// Myers' O(ND) shortest edit script between two line sequences.
///
/// Common leading and trailing lines are stripped first. Beyond ``maximumEditDistance`` the
/// search stops and the differing middle is reported as deleted then inserted, which keeps
/// memory bounded for wholly different files while still giving a correct diff.
enum LineDiff {
    static let maximumEditDistance = 1_000

    static func edits(old: [Substring], new: [Substring]) -> [LineEdit] {
        var prefix = 0
        while prefix < old.count, prefix < new.count, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix, suffix < new.count - prefix,
            old[old.count - 1 - suffix] == new[new.count - 1 - suffix]
        {
            suffix += 1
        }
        let oldMiddle = Array(old[prefix..<(old.count - suffix)])
        let newMiddle = Array(new[prefix..<(new.count - suffix)])
        var script = (0..<prefix).map { LineEdit.same(old: $0, new: $0) }
        for edit in middleEdits(oldMiddle, newMiddle) {
            switch edit {
            case .same(let o, let n): script.append(.same(old: o + prefix, new: n + prefix))
            case .delete(let o): script.append(.delete(old: o + prefix))
            case .insert(let n): script.append(.insert(new: n + prefix))
            }
        }
        for offset in 0..<suffix {
            script.append(.same(old: old.count - suffix + offset, new: new.count - suffix + offset))
        }
        return script
    }

    private static func middleEdits(_ a: [Substring], _ b: [Substring]) -> [LineEdit] {
        let n = a.count, m = b.count
        if n == 0 || m == 0 {
            return (0..<n).map { .delete(old: $0) } + (0..<m).map { .insert(new: $0) }
        }
        let limit = min(n + m, maximumEditDistance)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        var trace: [[Int]] = []
        var found = false
        search: for d in 0...limit {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = true
                    break search
                }
            }
        }
        guard found else {
            return (0..<n).map { .delete(old: $0) } + (0..<m).map { .insert(new: $0) }
        }
        // Walk the trace backwards from (n, m) to recover the path.
        var script: [LineEdit] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let vd = trace[d]
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1]) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = d == 0 ? 0 : vd[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                x -= 1
                y -= 1
                script.append(.same(old: x, new: y))
            }
            if d > 0 {
                if x == previousX {
                    y -= 1
                    script.append(.insert(new: y))
                } else {
                    x -= 1
                    script.append(.delete(old: x))
                }
            }
        }
        return script.reversed()
    }
}
