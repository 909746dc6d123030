using TakCan.Protocols.Mesh.Security;

namespace TakCan.Protocols.Tests.Mesh.Security;

internal enum Side
{
    A,
    B,
}

/// <summary>
/// Two handshakes joined by a link that delivers in order and may lose frames: what each side sends is queued
/// for the other, and every reply goes back the same way, as a link stage would do.
/// </summary>
internal sealed class HandshakeWire(LinkHandshake a, LinkHandshake b)
{
    private readonly Queue<(Side To, byte[] Frame)> _inFlight = new();

    public LinkHandshake A { get; } = a;

    public LinkHandshake B { get; } = b;

    /// <summary>Every frame either side transmitted, lost or not, in order.</summary>
    public List<(Side From, byte[] Frame)> Sent { get; } = [];

    /// <summary>Decides whether a transmitted frame is lost; called once per frame.</summary>
    public Func<Side, byte[], bool> Lose { get; set; } = (_, _) => false;

    public bool AWasUp { get; private set; }

    public bool BWasUp { get; private set; }

    public bool BothUp => A.State == HandshakeState.Up && B.State == HandshakeState.Up;

    public LinkHandshake Of(Side side) => side == Side.A ? A : B;

    public void Start(Side side) => Send(side, Of(side).CreateHello());

    public void Send(Side from, byte[] frame)
    {
        Sent.Add((from, frame));
        if (!Lose(from, frame)) _inFlight.Enqueue((from == Side.A ? Side.B : Side.A, frame));
    }

    /// <summary>
    /// Frames a third party slips in just ahead of a frame about to reach a side (called with that side and frame):
    /// they are delivered first, are not recorded in <see cref="Sent"/>, and any reply to them goes out as usual.
    /// </summary>
    public Func<Side, byte[], IEnumerable<byte[]>> Inject { get; set; } = (_, _) => [];

    /// <summary>Delivers queued frames until the link is quiet.</summary>
    public void Run(int maxDeliveries = 1000)
    {
        for (var i = 0; i < maxDeliveries && _inFlight.TryDequeue(out var next); i++)
        {
            foreach (var injected in Inject(next.To, next.Frame).ToList()) Deliver(next.To, injected);
            Deliver(next.To, next.Frame);
        }
    }

    private void Deliver(Side to, byte[] frame)
    {
        foreach (var reply in Of(to).Receive(frame)) Send(to, reply);
        AWasUp |= A.State == HandshakeState.Up;
        BWasUp |= B.State == HandshakeState.Up;
    }

    /// <summary>Runs, then lets each side that is not up resend its HELLO (the 1 s retry timer), for some rounds.</summary>
    public int RunWithRetries(int rounds)
    {
        Run();
        for (var round = 1; round <= rounds; round++)
        {
            if (BothUp) return round - 1;
            foreach (var side in new[] { Side.A, Side.B })
                if (Of(side).State == HandshakeState.Pending) Start(side);
            Run();
        }

        return BothUp ? rounds : -1;
    }

    public IEnumerable<byte[]> SentBy(Side side, byte type) =>
        Sent.Where(s => s.From == side && s.Frame[0] == type).Select(s => s.Frame);
}
