using System.Globalization;

namespace AlignmentEngine.Tests.Shared;

/// <summary>What TCP sockets a process of this machine holds open, read from /proc (Linux): its sockets' inodes, matched in its TCP tables.</summary>
internal static class ProcessSockets
{
    /// <summary>The ports process <paramref name="pid"/> listens on.</summary>
    public static HashSet<int> ListeningPorts(int pid) => [.. Sockets(pid).Where(s => s.State == Listen).Select(s => s.LocalPort)];

    /// <summary>Whether process <paramref name="pid"/> holds a connection whose local (its own) port is <paramref name="port"/>.</summary>
    public static bool HoldsConnectionFrom(int pid, int port) => Sockets(pid).Any(s => s.State != Listen && s.LocalPort == port);

    // The state column of a listening socket in /proc/net/tcp.
    private const string Listen = "0A";

    private static IEnumerable<(string State, int LocalPort)> Sockets(int pid)
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
                // sl local_address rem_address st ... inode; the port is hexadecimal after the colon.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (!inodes.Contains(fields[9])) continue;
                yield return (fields[3], int.Parse(fields[1].Split(':')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
    }
}
