/// Streams the operations of an EDN history: one vector (or list) of op maps, or a sequence of op maps.
///
/// Each op map is parsed and handed on as soon as it is complete; the window over the file
/// keeps only the current line onwards, so memory does not grow with the file.
struct EDNHistoryReader {
    let input: ByteSource

    init(_ input: ByteSource) {
        self.input = input
    }

    /// How the top level of the file is laid out.
    private enum Layout {
        case unknown
        /// `[...]` or `(...)`: `close` ends it; it starts at `line`, `column`.
        case sequence(close: UInt8, line: Int, column: Int)
        /// Op maps one after another, up to the end of the file.
        case maps
    }

    /// What one step of parsing produced.
    private enum Step {
        case operation(Op, start: Int, nextOffset: Int)
        case layout(Layout, nextOffset: Int)
        case finished
    }

    /// Calls `body` with every operation in order.
    func read(_ body: (Op) throws -> Void) throws {
        var offset = 0
        var layout = Layout.unknown
        var position = 0
        var checks = OperationChecks(input)
        // A place whose line is known, to number the operations' lines without rescanning.
        var cursorOffset = 0
        var cursorLine = input.firstLine
        while true {
            let step: Step
            do throws(EDNFailure) {
                step = try parseStep(at: offset, layout: layout, position: position)
            } catch .needMore {
                offset -= try input.readMore(keepingFrom: offset)
                cursorOffset = 0
                cursorLine = input.firstLine
                continue
            } catch .syntax(let at, let message, let opened) {
                throw error(at: at, message, opened: opened)
            }
            switch step {
            case .finished:
                return
            case .layout(let new, let next):
                layout = new
                offset = next
            case .operation(let op, let start, let next):
                cursorLine += ByteSource.newlines(in: input.bytes + cursorOffset, count: start - cursorOffset)
                cursorOffset = start
                offset = next
                position += 1
                try checks.check(op, line: cursorLine)
                try body(op)
            }
        }
    }

    /// Parses what comes next at `offset`: the opening of the history, one operation, or its end.
    private func parseStep(at offset: Int, layout: Layout, position: Int) throws(EDNFailure) -> Step {
        var parser = EDNParser(input.bytes, count: input.count, atEOF: input.atEOF, from: offset)
        try parser.skipAtmosphere()
        let c = try parser.peek()
        switch layout {
        case .unknown:
            guard let c else { return .finished }
            if c == UInt8(ascii: "[") || c == UInt8(ascii: "(") {
                let (line, column) = input.position(of: parser.i)
                let close = c == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: ")")
                return .layout(.sequence(close: close, line: line, column: column), nextOffset: parser.i + 1)
            }
            if c == UInt8(ascii: "{") { return .layout(.maps, nextOffset: parser.i) }
            // Jepsen's history.edn: one tagged op map per line, `#jepsen.history.Op{...}`.
            if c == UInt8(ascii: "#") && parser.i + 1 < parser.count && parser.p[parser.i + 1] != UInt8(ascii: "{") {
                return .layout(.maps, nextOffset: parser.i)
            }
            throw parser.fail("expected '[' or '(' to start a vector of operations, or '{' to start an operation map, found \(parser.found)")
        case .sequence(let close, let line, let column):
            let what = close == UInt8(ascii: "]") ? "vector" : "list"
            guard let c else {
                throw parser.fail("unexpected end of file; expected an operation or '\(Character(Unicode.Scalar(close)))' to close the \(what) of operations (it starts at line \(line), column \(column))")
            }
            if c == close {
                parser.i += 1
                try parser.skipAtmosphere()
                if try parser.peek() != nil {
                    throw parser.fail("unexpected \(parser.found) after the end of the \(what) of operations; expected the end of the file")
                }
                return .finished
            }
            if c == UInt8(ascii: ")") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") {
                throw parser.fail("unexpected \(parser.found); expected an operation or '\(Character(Unicode.Scalar(close)))' to close the \(what) of operations (it starts at line \(line), column \(column))")
            }
            return try parseOperation(&parser, position: position)
        case .maps:
            guard c != nil else { return .finished }
            return try parseOperation(&parser, position: position)
        }
    }

    /// Parses one op map and turns it into an operation.
    private func parseOperation(_ parser: inout EDNParser, position: Int) throws(EDNFailure) -> Step {
        let start = parser.i
        if let op = try EDNOperation.operation(&parser, position: position) {
            return .operation(op, start: start, nextOffset: parser.i)
        }
        parser.i = start
        let value = try parser.parseValue()
        switch EDNOperation.operation(from: value, position: position) {
        case .success(let op): return .operation(op, start: start, nextOffset: parser.i)
        case .failure(let failure): throw parser.fail(failure.message, at: start)
        }
    }

    /// A `HistoryError` at `offset` in the window, naming where an unfinished structure started.
    private func error(at offset: Int, _ message: String, opened: (kind: String, offset: Int)?) -> HistoryError {
        let (line, column) = input.position(of: offset)
        var text = message
        if let opened {
            let (openLine, openColumn) = input.position(of: opened.offset)
            text += " (the \(opened.kind) starts at line \(openLine), column \(openColumn))"
        }
        return HistoryError(file: input.name, line: line, column: column, message: text)
    }
}
