using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using TakCan.Actors.Multicast;

namespace TakCan.Actors.Tests.Multicast;

/// <summary>
/// A plain UdpClient on both test groups, on the loopback interface: records every datagram as it appears on the
/// wire and sends whatever a test wants (a legacy XML-only node, garbage).
/// </summary>
public sealed class MulticastTap : IDisposable
{
    private readonly Dictionary<MulticastGroup, IPEndPoint> _groups;
    private readonly List<UdpClient> _listeners = [];
    private readonly UdpClient _sender;
    private readonly ConcurrentQueue<Heard> _heard = new();
    private readonly CancellationTokenSource _stop = new();

    public MulticastTap(IPEndPoint saGroup, IPEndPoint chatGroup)
    {
        _groups = new() { [MulticastGroup.Sa] = saGroup, [MulticastGroup.Chat] = chatGroup };
        foreach (var (group, endPoint) in _groups)
        {
            var listener = new UdpClient(AddressFamily.InterNetwork);
            listener.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Client.Bind(new IPEndPoint(OperatingSystem.IsWindows() ? IPAddress.Any : endPoint.Address, endPoint.Port));
            listener.JoinMulticastGroup(endPoint.Address, IPAddress.Loopback);
            _listeners.Add(listener);
            _ = Task.Run(() => Listen(group, listener));
        }

        _sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        _sender.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.Loopback.GetAddressBytes());
        _sender.Client.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        _sender.Ttl = 1;
    }

    public IReadOnlyList<Heard> All => _heard.ToArray();

    public void Send(MulticastGroup group, byte[] datagram) => _sender.Send(datagram, datagram.Length, _groups[group]);

    public void Dispose()
    {
        _stop.Cancel();
        foreach (var listener in _listeners) listener.Dispose();
        _sender.Dispose();
    }

    private async Task Listen(MulticastGroup group, UdpClient listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var result = await listener.ReceiveAsync(_stop.Token);
                _heard.Enqueue(new Heard(group, result.RemoteEndPoint, result.Buffer));
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    public sealed record Heard(MulticastGroup Group, IPEndPoint From, byte[] Data);
}
