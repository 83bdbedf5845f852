import ArgumentParser
import Basics
import Foundation
import Serve

/// `schism serve`: browse the results folder in a web browser, read-only.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Browse the results folder: an index of runs, each run's report and files, zip downloads.",
        discussion: """
            Read-only: only GET and HEAD, nothing is written. Binds 127.0.0.1 unless --bind says \
            otherwise: results hold node logs, so binding another address prints a warning. \
            Stop with Ctrl-C. Exit status: 0 stopped, 64 bad arguments, 66 no results folder, \
            69 the address cannot be bound.
            """)

    @Option(help: "The address to listen on (127.0.0.1: this machine only; 0.0.0.0: every network).")
    var bind = ResultsServer.defaultHost

    @Option(help: "The port (0: any free port, printed).")
    var port = 8080

    @Option(help: "The results folder to serve.")
    var results = "results"

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port \(port) is not a port; give 0 to 65535 (0: any free port)")
        }
    }

    func run() async throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: results, isDirectory: &isDir), isDir.boolValue else {
            throw exitWith(UserFacingError(
                message: "\(results): no such results folder (schism test writes one; choose another with --results)", code: ExitStatus.noInput))
        }
        if !ResultsServer.isLoopback(bind) {
            printError("schism: warning: serving on \(bind), reachable from other machines: results hold node logs and histories; use --bind 127.0.0.1 to keep them on this machine")
        }
        let server = ResultsServer(root: results, host: bind, port: port)
        let host = bind.contains(":") ? "[\(bind)]" : bind
        do {
            try await server.run { port in
                printNow("serving \(results) at http://\(host):\(port)/  (read-only; Ctrl-C stops)")
            }
        } catch {
            throw exitWith(UserFacingError(message: "cannot serve on \(bind):\(port): \(error)", code: ExitStatus.unavailable))
        }
    }
}
