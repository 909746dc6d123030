using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace TakCan.Actors.Multicast;

/// <summary>
/// The sockets of <see cref="MulticastSaActor"/>: one receiving socket per enabled group and one sending socket.
/// Datagrams go to <c>received</c> from the receive loops (not on the actor's thread); a receive loop that fails
/// reports it once through <c>failed</c> and ends. Disposing closes everything and ends the loops.
/// </summary>
internal sealed class MulticastSockets : IDisposable
{
    // Larger than any UDP payload over IPv4 (65 507 bytes), so no datagram is ever truncated.
    private const int BufferSize = 65_536;

    private readonly Socket _send;
    private readonly Dictionary<MulticastGroup, (Socket Socket, IPEndPoint Group)> _receivers = new();
    private readonly HashSet<IPAddress> _ownAddresses;
    private readonly CancellationTokenSource _stop = new();

    private MulticastSockets(MulticastSettings settings)
    {
        _send = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _send.Bind(new IPEndPoint(settings.Interface, 0));
        _send.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, settings.Ttl);
        _send.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, settings.Loopback);
        if (!settings.Interface.Equals(IPAddress.Any))
            _send.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, settings.Interface.GetAddressBytes());
        LocalEndPoint = (IPEndPoint)_send.LocalEndPoint!;
        _ownAddresses = OwnAddresses(settings.Interface);

        if (settings.SaEnabled) _receivers[MulticastGroup.Sa] = (Join(settings.SaGroup, settings.Interface), settings.SaGroup);
        if (settings.ChatEnabled) _receivers[MulticastGroup.Chat] = (Join(settings.ChatGroup, settings.Interface), settings.ChatGroup);
    }

    /// <summary>Where our datagrams come from: the sending socket's address and port.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Opens and joins; on any failure closes what was opened and throws.</summary>
    /// <exception cref="SocketException">A socket could not be bound or the group joined.</exception>
    public static MulticastSockets Open(MulticastSettings settings, Action<MulticastGroup, byte[], IPEndPoint> received, Action<Exception> failed)
    {
        MulticastSockets? sockets = null;
        try
        {
            sockets = new MulticastSockets(settings);
            foreach (var (group, (socket, _)) in sockets._receivers)
                _ = Task.Run(() => sockets.ReceiveLoop(group, socket, received, failed));
            return sockets;
        }
        catch
        {
            sockets?.Dispose();
            throw;
        }
    }

    /// <summary>True for a datagram we sent ourselves and heard back through multicast loopback.</summary>
    public bool IsOwn(IPEndPoint from) => from.Port == LocalEndPoint.Port && _ownAddresses.Contains(from.Address);

    /// <exception cref="SocketException">The datagram could not be sent (no route, interface down).</exception>
    public void Send(MulticastGroup group, byte[] datagram) => _send.SendTo(datagram, _receivers[group].Group);

    public bool Joined(MulticastGroup group) => _receivers.ContainsKey(group);

    public void Dispose()
    {
        _stop.Cancel();
        _send.Dispose();
        foreach (var (socket, _) in _receivers.Values) socket.Dispose();
    }

    private static Socket Join(IPEndPoint group, IPAddress localInterface)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // Several listeners on one machine (ATAK, TAK Can, a second device) share the group port.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            // Bound to the group address, Linux and macOS deliver only that group's datagrams to this socket, not
            // those of every group some other socket joined on the same port; Windows cannot bind to a group.
            socket.Bind(new IPEndPoint(OperatingSystem.IsWindows() ? IPAddress.Any : group.Address, group.Port));
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group.Address, localInterface));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static HashSet<IPAddress> OwnAddresses(IPAddress localInterface)
    {
        if (!localInterface.Equals(IPAddress.Any)) return [localInterface];
        var addresses = new HashSet<IPAddress> { IPAddress.Loopback };
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork)
                    addresses.Add(unicast.Address);
        }
        catch (NetworkInformationException)
        {
            // Without the list, own datagrams are still recognised by uid.
        }

        return addresses;
    }

    private async Task ReceiveLoop(MulticastGroup group, Socket socket, Action<MulticastGroup, byte[], IPEndPoint> received, Action<Exception> failed)
    {
        var buffer = new byte[BufferSize];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, token);
            }
            catch (Exception) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                failed(ex);
                return;
            }

            received(group, buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint);
        }
    }
}
