using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka;
using Akka.Streams.Dsl;
using TakCan.Protocols.Mesh.Discovery;
using TakCan.Protocols.Mesh.Fragments;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Mesh.Transports;

/// <summary>
/// The mesh over UDP: one socket, one link per neighbour address. Links come from the static peer list, from
/// verified anonymous discovery beacons on a LAN multicast group, and from any address whose first datagram is a
/// HELLO under one of our keys (the mesh then checks it like any other). Works between processes on 127.0.0.1 and on a LAN.
/// </summary>
public sealed class UdpMeshTransport : IMeshTransport
{
    private readonly UdpMeshSettings _settings;
    private readonly MeshKeyRing _keys;
    private readonly Socket _socket;
    private readonly Socket? _discovery;
    private readonly ConcurrentDictionary<IPEndPoint, Channel<byte[]>> _links = new();
    private readonly ConcurrentDictionary<IPEndPoint, bool> _staticPeers = new();
    private readonly Channel<MeshLinkOffer> _offers = Channel.CreateUnbounded<MeshLinkOffer>();
    private readonly CancellationTokenSource _stop = new();

    public UdpMeshTransport(UdpMeshSettings settings, MeshKeyRing keys)
    {
        _settings = settings;
        _keys = keys;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(settings.Bind);
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        if (settings.Discovery)
        {
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 1);
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            if (!settings.DiscoveryInterface.Equals(IPAddress.Any))
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, settings.DiscoveryInterface.GetAddressBytes());
            _discovery = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            _discovery.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _discovery.Bind(new IPEndPoint(IPAddress.Any, settings.DiscoveryGroup.Port));
            _discovery.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership,
                new MulticastOption(settings.DiscoveryGroup.Address, settings.DiscoveryInterface));
            _ = Task.Run(DiscoveryLoop);
            _ = Task.Run(BeaconLoop);
        }

        _ = Task.Run(ReceiveLoop);
        foreach (var peer in settings.StaticPeers) AddPeer(peer);
    }

    public string Name => "udp";

    /// <summary>The address neighbours reach this node at (the bound port, even when 0 was asked for).</summary>
    public IPEndPoint LocalEndPoint { get; }

    public Source<MeshLinkOffer, NotUsed> Links => ChannelSource.FromReader(_offers.Reader);

    /// <summary>Links with a neighbour at this address and keeps doing so: after a link ends it is tried again.</summary>
    public void AddPeer(IPEndPoint peer)
    {
        _staticPeers[peer] = true;
        Open(peer);
    }

    private void Open(IPEndPoint remote)
    {
        if (_stop.IsCancellationRequested || _links.Count >= _settings.MaxLinks) return;
        var inbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(512) { FullMode = BoundedChannelFullMode.DropOldest });
        if (!_links.TryAdd(remote, inbound)) return;
        var toNeighbour = Sink.ForEach<byte[]>(frame => Send(frame, remote)).MapMaterializedValue(_ => NotUsed.Instance);
        var fromNeighbour = ChannelSource.FromReader(inbound.Reader).WatchTermination((_, done) =>
        {
            done.ContinueWith(_ => Closed(remote, inbound), TaskScheduler.Default);
            return NotUsed.Instance;
        });
        _offers.Writer.TryWrite(new MeshLinkOffer(Name, $"udp {remote}", MeshMedium.PointToPoint, _settings.Mtu,
            Flow.FromSinkAndSource(toNeighbour, fromNeighbour)));
    }

    private void Closed(IPEndPoint remote, Channel<byte[]> inbound)
    {
        _links.TryRemove(new KeyValuePair<IPEndPoint, Channel<byte[]>>(remote, inbound));
        inbound.Writer.TryComplete();
        if (_staticPeers.ContainsKey(remote) && !_stop.IsCancellationRequested)
            _ = Task.Delay(_settings.PeerRetry, _stop.Token).ContinueWith(t =>
            {
                if (!t.IsCanceled) Open(remote);
            }, TaskScheduler.Default);
    }

    private void Send(byte[] frame, IPEndPoint remote)
    {
        try
        {
            _socket.SendTo(frame, remote);
        }
        catch (SocketException)
        {
            // A neighbour that is gone (ICMP unreachable) shows as a silent link; the handshake timeout ends it.
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[65_536];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (SocketException)
            {
                continue; // e.g. ECONNREFUSED reported for an earlier send to a closed port
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            var remote = (IPEndPoint)result.RemoteEndPoint;
            var datagram = buffer.AsSpan(0, result.ReceivedBytes);
            if (!_links.ContainsKey(remote))
            {
                // Only a HELLO under one of our keys opens a link: stray or spoofed datagrams must not fill the link
                // slots (specs/mesh.md, "Discovery").
                if (!OpensLink(datagram)) continue;
                Open(remote);
            }

            if (_links.TryGetValue(remote, out var link)) link.Writer.TryWrite(datagram.ToArray());
        }
    }

    /// <summary>A whole (one-fragment) HELLO naming a key id this node holds.</summary>
    private bool OpensLink(ReadOnlySpan<byte> datagram)
    {
        if (!FragmentHeader.TryRead(datagram, out var header) || header.Kind != FragmentHeader.DataKind || header.Count != 1) return false;
        var sealedFrame = datagram[FragmentHeader.Size..];
        return sealedFrame.Length >= 3 && SealedFrame.TypeOf(sealedFrame) == SealedFrame.Hello && _keys.Find(SealedFrame.KeyIdOf(sealedFrame)) is not null;
    }

    private async Task DiscoveryLoop()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _discovery!.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            if (!MeshBeacon.TryVerify(buffer.AsSpan(0, result.ReceivedBytes), _keys, out var port)) continue;
            var remote = new IPEndPoint(((IPEndPoint)result.RemoteEndPoint).Address, port);
            if (port == LocalEndPoint.Port && IsOwnAddress(remote.Address)) continue;
            if (!_links.ContainsKey(remote)) Open(remote);
        }
    }

    private async Task BeaconLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Send(MeshBeacon.Create(_keys.Current, (ushort)LocalEndPoint.Port), _settings.DiscoveryGroup);
            try
            {
                await Task.Delay(_settings.BeaconInterval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private bool IsOwnAddress(IPAddress address) =>
        IPAddress.IsLoopback(address) || address.Equals(LocalEndPoint.Address) ||
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses).Any(a => a.Address.Equals(address));

    public void Dispose()
    {
        _stop.Cancel();
        _offers.Writer.TryComplete();
        foreach (var link in _links.Values) link.Writer.TryComplete();
        _socket.Dispose();
        _discovery?.Dispose();
    }
}
