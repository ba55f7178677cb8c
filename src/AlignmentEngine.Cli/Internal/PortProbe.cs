using System.Net;
using System.Net.Sockets;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// Whether an address can be listened on, asked before the server starts: a port another process holds is then
/// one line, instead of the host's failure logged with its stack trace. (The server's own bind may still fail in
/// the moment between; that is caught too.)
/// </summary>
internal static class PortProbe
{
    public static bool InUse(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Port == 0) return false;
        using var probe = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            probe.Bind(endpoint);
            return false;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            return true;
        }
    }
}
