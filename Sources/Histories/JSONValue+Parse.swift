import Basics

extension JSONValue {
    /// Parses one JSON value from text, such as a command line's `--initial '{"x":0}'`.
    ///
    /// The error message names the column and what was expected there.
    public static func parse(_ text: String) throws(HistoryError) -> JSONValue {
        var bytes = Array(text.utf8)
        let count = bytes.count
        let result: Result<JSONValue, ScanFailure> = bytes.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return .failure(ScanFailure(offset: 0, message: "expected a JSON value, found nothing")) }
            var s = JSONScanner(UnsafePointer(base), count: count)
            do throws(ScanFailure) {
                s.skipSpace()
                let v = try s.parseValue()
                s.skipSpace()
                if s.current != nil { throw s.fail("unexpected \(s.found) after the value") }
                return .success(v)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let v): return v
        case .failure(let f): throw HistoryError(file: "<argument>", line: 0, column: f.offset + 1, message: f.message)
        }
    }
}
