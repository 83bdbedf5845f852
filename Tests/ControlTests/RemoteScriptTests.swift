import Control
import ControlTestKit
import Testing

@Suite("Remote command wrapping, local backend, fake remote")
struct RemoteScriptTests {
    @Test("the wrapper reports the pid, bounds time, and keeps the sudo password out of the script")
    func wrapper() {
        let command = RemoteCommand(argv: ["echo", "hi there"], stdin: [1, 2], timeoutSeconds: 2.5, sudo: true)
        let plain = RemoteScript.wrap(command, useSudo: false, sudoPassword: nil)
        #expect(plain.script.contains("exec timeout -k 2 2.500 sh -c 'echo '\\''hi there'\\'''"))
        #expect(plain.stdin == [1, 2])
        let sudo = RemoteScript.wrap(command, useSudo: true, sudoPassword: "s3cret'pw")
        #expect(!sudo.script.contains("s3cret"))
        #expect(sudo.script.contains("sudo -n --"))
        #expect(sudo.stdin == Array("s3cret'pw\n".utf8) + [1, 2])
        #expect(!command.description.contains("s3cret"))
    }

    @Test("the wrapper runs under sh: output, stdin and exit status pass through")
    func wrapperRunsLocally() async throws {
        let command = RemoteCommand(script: "cat; echo err >&2; exit 3", stdin: Array("in\n".utf8), timeoutSeconds: 5)
        let (script, stdin) = RemoteScript.wrap(command, useSudo: false, sudoPassword: nil)
        let out = try await LocalProcess.run(["sh", "-c", script], stdin: stdin, timeoutSeconds: 10)
        #expect(out.exitStatus == 3)
        #expect(out.stdoutText == "in\n")
        #expect(out.stderrText.hasPrefix("\u{1}schism-pid "))
        #expect(out.stderrText.hasSuffix("\nerr\n"))
    }

    @Test("LocalRemote: stdin, stdout, stderr and exit codes")
    func localExec() async throws {
        let local = LocalRemote()
        let result = try await local.exec(
            RemoteCommand(script: "tr a-z A-Z; echo oops >&2; exit 7", stdin: Array("hello".utf8)))
        #expect(result.stdoutText == "HELLO")
        #expect(result.stderrText == "oops\n")
        #expect(result.exitStatus == 7)
        #expect(throws: RemoteError.self) { try result.checked() }
        #expect(try await local.run(["echo", "a b"]) == "a b\n")
    }

    @Test("LocalRemote: a timed-out command and its children are killed")
    func localTimeout() async throws {
        let start = ContinuousClock.now
        do {
            _ = try await LocalRemote().exec(RemoteCommand(script: "sleep 30 & sleep 30", timeoutSeconds: 0.5))
            Issue.record("expected a timeout")
        } catch {
            #expect(error.kind == .timedOut)
            #expect(error.exitCode == 1)
        }
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("output beyond the limit keeps its tail")
    func outputLimit() async throws {
        let result = try await LocalRemote().exec(
            RemoteCommand(script: "seq 1 100000", outputLimitBytes: 4096))
        #expect(result.stdout.count == 4096)
        #expect(result.stdoutText.hasSuffix("99999\n100000\n"))
        #expect(result.stdoutDroppedBytes > 500_000)
    }

    @Test("errors carry node, command, status and stderr tail")
    func errorContext() {
        let error = RemoteError(
            .commandFailed, node: "n2", command: "systemctl start etcd", exitStatus: 5, stderrTail: "unit not found",
            message: "exited with status 5", hint: "install etcd")
        #expect(error.description.contains("n2: `systemctl start etcd`: exited with status 5"))
        #expect(error.description.contains("unit not found"))
        #expect(error.description.contains("fix: install etcd"))
    }

    @Test("FakeRemote and RemoteSet: parallel exec keeps node order and failures")
    func fakeRemotes() async throws {
        let fakes = (1...3).map { i in
            FakeRemote(node: "n\(i)") { command in
                i == 2 ? .fail(.unreachable) : .ok("\(command.script) on n\(i)\n")
            }
        }
        let set = RemoteSet(remotes: fakes)
        let results = await set.execAll(RemoteCommand(argv: ["hostname"]))
        #expect(results.map(\.node) == ["n1", "n2", "n3"])
        #expect(try results[0].result.get().stdoutText == "hostname on n1\n")
        #expect(throws: RemoteError.self) { try results[1].result.get() }
        #expect(fakes[2].scripts == ["hostname"])
    }
}
