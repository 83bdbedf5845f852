/// Process and real-time order edges between transactions.
enum OrderEdges {
    /// Each committed transaction → the next transaction of its process that did not fail.
    static func process(_ h: TxnHistory, _ edges: inout EdgeList) {
        var last: [Int32: Int32] = [:]
        for t in 0..<h.count where h.status[t] != .fail {
            if let p = last[h.process[t]], h.status[Int(p)] == .ok { edges.add(Int(p), t, .process) }
            last[h.process[t]] = Int32(t)
        }
    }

    /// T1 → T2 when T1 committed before T2 was invoked, transitively reduced: T2 gets edges only
    /// from the frontier of latest completions (a set no larger than the number of transactions
    /// in flight at once), so the edges grow with the history times its concurrency, not its square.
    static func realtime(_ h: TxnHistory, _ edges: inout EdgeList) {
        var maxIndex = 0
        for t in 0..<h.count {
            maxIndex = max(maxIndex, Int(h.invokeIndex[t]), Int(h.completeIndex[t]))
        }
        // event[i]: t + 1 for t's invocation at history index i, -(t + 1) for its completion.
        var event = [Int32](repeating: 0, count: maxIndex + 1)
        for t in 0..<h.count where h.status[t] != .fail {
            event[Int(h.invokeIndex[t])] = Int32(t + 1)
            if h.status[t] == .ok && h.completeIndex[t] >= 0 { event[Int(h.completeIndex[t])] = -Int32(t + 1) }
        }
        var frontier: [Int32] = []
        var predStart = [Int32](repeating: 0, count: h.count)
        var predCount = [Int32](repeating: 0, count: h.count)
        var preds: [Int32] = []
        var mark = [Int32](repeating: -1, count: h.count)
        for e in event where e != 0 {
            if e > 0 {
                let t = Int(e - 1)
                predStart[t] = Int32(preds.count)
                predCount[t] = Int32(frontier.count)
                for f in frontier {
                    edges.add(Int(f), t, .realtime)
                    preds.append(f)
                }
            } else {
                let t = Int(-e - 1)
                let s = Int(predStart[t])
                for i in s..<(s + Int(predCount[t])) { mark[Int(preds[i])] = Int32(t) }
                frontier.removeAll { mark[Int($0)] == Int32(t) }
                frontier.append(Int32(t))
            }
        }
    }
}
