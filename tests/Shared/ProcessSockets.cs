using System.Globalization;

namespace AlignmentEngine.Tests.Shared;

/// <summary>What TCP sockets a process of this machine holds open, read from /proc (Linux): its sockets' inodes, matched in its TCP tables.</summary>
internal static class ProcessSockets
{
    // The state column of a listening socket in /proc/net/tcp.
    private const string Listen = "0A";

    /// <summary>The ports process <paramref name="pid"/> listens on.</summary>
    public static HashSet<int> ListeningPorts(int pid) => [.. Sockets(pid).Where(s => s.State == Listen).Select(s => s.LocalPort)];

    /// <summary>
    /// Whether process <paramref name="pid"/> holds the connection from its port <paramref name="localPort"/> to port
    /// <paramref name="remotePort"/> (both ends: two processes may use one local port towards different peers).
    /// </summary>
    public static bool HoldsConnection(int pid, int localPort, int remotePort) =>
        Sockets(pid).Any(s => s.State != Listen && s.LocalPort == localPort && s.RemotePort == remotePort);

    private static IEnumerable<(string State, int LocalPort, int RemotePort)> Sockets(int pid)
    {
        var inodes = Directory.GetFiles($"/proc/{pid}/fd")
            .Select(fd => new FileInfo(fd).LinkTarget)
            .Where(target => target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
            .Select(target => target!["socket:[".Length..^1])
            .ToHashSet();
        foreach (var table in new[] { $"/proc/{pid}/net/tcp", $"/proc/{pid}/net/tcp6" })
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st ... inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (!inodes.Contains(fields[9])) continue;
                yield return (fields[3], PortOf(fields[1]), PortOf(fields[2]));
            }
        }
    }

    /// <summary>The port of an address in /proc/net/tcp (ADDRESS:PORT, both hexadecimal).</summary>
    private static int PortOf(string address) => int.Parse(address.Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
