import Control
import Foundation

/// The iptables scripts of partitions and packet loss, all confined to Schism's own chain.
///
/// Layout on a node (filter table): a chain `SCHISM`, reached from `INPUT` by exactly one
/// rule `-j SCHISM` that Schism inserts first in `INPUT`. Inside it, first a `RETURN` rule
/// for the controller's own address (taken from `$SSH_CONNECTION`, so the controller can
/// never be cut off even if it shares an address with a peer), then `DROP` rules by peer
/// address. Undo deletes exactly the rules a fault added; when no `DROP` rule is left the
/// jump and the chain are removed. `removeAllScript` (heal) flushes and deletes only
/// `SCHISM` and its jump rules. No other chain or rule is ever touched.
public enum Firewall {
    /// The chain Schism owns.
    public static let chain = "SCHISM"
    /// iptables waiting up to 5 s for the xtables lock.
    static let iptables = "iptables -w 5"
    /// Exits 127 with a clear message when iptables is missing.
    static let requireIptables =
        "command -v iptables >/dev/null 2>&1 || { echo 'iptables is not installed on this node' >&2; exit 127; }\n"

    /// A DROP rule for packets from `peer` (an address or host name).
    public static func dropRule(from peer: String) -> [String] {
        ["-s", peer, "-j", "DROP"]
    }

    /// A rule that drops packets from `peer` with probability `p` (iptables' statistic match).
    public static func lossRule(from peer: String, probability p: Double) -> [String] {
        ["-s", peer, "-m", "statistic", "--mode", "random", "--probability", String(format: "%.4f", min(max(p, 0), 1)), "-j", "DROP"]
    }

    /// Creates the chain and its jump if missing, protects `controller`, then appends `rules`.
    public static func addScript(rules: [[String]], controller: String?) -> String {
        var s = requireIptables
        s += "\(iptables) -N \(chain) 2>/dev/null\n"
        s += "\(iptables) -L \(chain) -n >/dev/null || exit 3\n"
        s += "\(iptables) -C INPUT -j \(chain) 2>/dev/null || \(iptables) -I INPUT 1 -j \(chain) || exit 3\n"
        if let controller, !controller.isEmpty {
            let c = ShellQuote.quote(controller)
            s += "\(iptables) -C \(chain) -s \(c) -j RETURN 2>/dev/null || \(iptables) -I \(chain) 1 -s \(c) -j RETURN || exit 3\n"
        }
        for rule in rules {
            s += "\(iptables) -A \(chain) \(ShellQuote.join(rule)) || exit 4\n"
        }
        return s
    }

    /// Deletes exactly `rules` (one instance each); removes the chain when no DROP rule is left.
    public static func deleteScript(rules: [[String]]) -> String {
        var s = requireIptables
        s += "\(iptables) -L \(chain) -n >/dev/null 2>&1 || exit 0\n"
        s += "failed=0\n"
        for rule in rules {
            let r = ShellQuote.join(rule)
            s += "if \(iptables) -C \(chain) \(r) 2>/dev/null; then \(iptables) -D \(chain) \(r) || failed=1; fi\n"
        }
        s += "if ! \(iptables) -S \(chain) | grep -q -- '-j DROP'; then\n\(removeChainBody)fi\n"
        s += "exit $failed\n"
        return s
    }

    /// Removes every jump to the chain (at most 20 each), then flushes and deletes the chain.
    static let removeChainBody = """
          for hook in INPUT OUTPUT FORWARD; do
            i=0; while [ $i -lt 20 ] && \(iptables) -D $hook -j \(chain) 2>/dev/null; do i=$((i+1)); done
            [ $i -gt 0 ] && echo "removed $i jump(s) from $hook"
          done
          if \(iptables) -L \(chain) -n >/dev/null 2>&1; then
            n=$(\(iptables) -S \(chain) | grep -c '^-A')
            \(iptables) -F \(chain) && \(iptables) -X \(chain) && echo "removed chain \(chain) with $n rule(s)"
          fi

        """

    /// Heal: removes the chain and its jumps whatever they hold; prints what it removed.
    public static let removeAllScript =
        "if command -v iptables >/dev/null 2>&1; then\n" + removeChainBody + "fi\n"

    /// Prints the chain's rules (`iptables -S SCHISM`), or nothing when it does not exist.
    public static let listScript = "\(iptables) -S \(chain) 2>/dev/null; exit 0"

    /// Prints `available` or `unavailable`: whether this node's kernel has netem (`tc qdisc ... netem`).
    ///
    /// Looks without changing anything: a loaded module, the kernel's config, or a module file.
    public static let netemProbeScript = """
        if [ -d /sys/module/sch_netem ]; then echo available
        elif [ -r /proc/config.gz ] && zcat /proc/config.gz 2>/dev/null | grep -q '^CONFIG_NET_SCH_NETEM=[ym]'; then echo available
        elif find "/lib/modules/$(uname -r)" -name 'sch_netem.ko*' 2>/dev/null | grep -q .; then echo available
        else echo unavailable; fi
        """

    /// Prints the address the controller connects from, as the node sees it (may be empty).
    public static let controllerAddressScript = "printf '%s' \"${SSH_CONNECTION%% *}\""
}
