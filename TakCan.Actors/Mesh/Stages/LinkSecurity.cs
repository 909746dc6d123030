using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using TakCan.Protocols.Mesh;
using TakCan.Protocols.Mesh.Security;

namespace TakCan.Actors.Mesh.Stages;

/// <summary>
/// The seal layer of a point-to-point link: runs the mutual HMAC-SHA256 handshake, then seals envelopes
/// going down and opens frames coming up under the link's session keys. Nothing but HELLO/AUTH crosses
/// before the handshake succeeded; a failed or timed-out handshake closes the link with a counted reason. An up link
/// sends a keepalive when it has been quiet and closes when its neighbour has been silent too long (specs/mesh.md,
/// "Liveness"): a neighbour that died must not look up forever.
/// </summary>
public static class LinkSecurity
{
    /// <param name="onAuthenticated">Called (on the stream's thread) with the neighbour's proven identity.</param>
    public static BidiFlow<byte[], byte[], byte[], byte[], NotUsed> Create(
        LinkSecuritySettings settings, MeshCounters counters, Action<MeshPeerInfo>? onAuthenticated = null) =>
        BidiFlow.FromGraph(new Stage(settings, counters, onAuthenticated));

    private sealed class Stage(LinkSecuritySettings settings, MeshCounters counters, Action<MeshPeerInfo>? onAuthenticated)
        : GraphStage<BidiShape<byte[], byte[], byte[], byte[]>>
    {
        private readonly Inlet<byte[]> _fromAbove = new("seal.envelopes.in");
        private readonly Outlet<byte[]> _toBelow = new("seal.frames.out");
        private readonly Inlet<byte[]> _fromBelow = new("seal.frames.in");
        private readonly Outlet<byte[]> _toAbove = new("seal.envelopes.out");

        public override BidiShape<byte[], byte[], byte[], byte[]> Shape => new(_fromAbove, _toBelow, _fromBelow, _toAbove);

        protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

        private sealed class Logic(Stage stage) : ProtocolLayerLogic<byte[], byte[], byte[], byte[]>(stage.Shape)
        {
            private const string HelloTimer = "hello";
            private const string TimeoutTimer = "timeout";
            private const string LivenessTimer = "liveness";

            private LinkSession? _session;

            // After a re-authentication the neighbour may still have frames in flight under the old keys.
            private LinkSession? _previous;
            private LinkHandshake _attempt = NewAttempt(stage);
            private TimeSpan _lastHeard;
            private TimeSpan _lastSent;

            // HELLOs answered: each costs key derivation and two replies, and anyone in range can send them.
            private double _helloTokens = HelloBurst;
            private TimeSpan _helloRefilled;
            private const double HelloBurst = 8;
            private const double HellosPerSecond = 4;

            protected override bool AcceptsFromAbove => _session is not null;

            public override void PreStart()
            {
                SendDown(_attempt.CreateHello());
                StartAttemptTimers();
                base.PreStart();
            }

            protected override void OnFromAbove(byte[] envelope)
            {
                SendDown(_session!.Seal(envelope));
                _lastSent = Now;
                stage.Counters.FrameSent();
            }

            protected override void OnFromBelow(byte[] frame)
            {
                stage.Counters.FrameReceived();
                switch (SealedFrame.TypeOf(frame))
                {
                    case SealedFrame.LinkData when _session is not null:
                        if (_session.TryOpen(frame, out var envelope, out var reason) ||
                            (_previous is not null && _previous.TryOpen(frame, out envelope, out _)))
                        {
                            _lastHeard = Now;
                            // An empty envelope is a keepalive: it only proves the neighbour is there.
                            if (envelope.Length > 0) SendUp(envelope);
                        }
                        else
                        {
                            stage.Counters.Drop(reason);
                        }

                        break;
                    case SealedFrame.Hello when !TakeHelloToken():
                        stage.Counters.Drop(MeshDropReason.Auth);
                        break;
                    case SealedFrame.Hello:
                        if (_attempt.State != HandshakeState.Pending && !_attempt.IsSameAttempt(frame))
                        {
                            // The neighbour started over (say, it restarted): authenticate again beside the old keys.
                            _attempt = NewAttempt(stage);
                            StartAttemptTimers();
                        }

                        Handshake(frame);
                        break;
                    case SealedFrame.Auth:
                        Handshake(frame);
                        break;
                    default:
                        stage.Counters.Drop(MeshDropReason.Auth);
                        break;
                }
            }

            private void Handshake(byte[] frame)
            {
                var wasPending = _attempt.State == HandshakeState.Pending;
                foreach (var reply in _attempt.Receive(frame)) SendDown(reply);
                if (!wasPending) return;
                switch (_attempt.State)
                {
                    case HandshakeState.Up:
                        if (_session is null) ScheduleRepeatedly(LivenessTimer, Min(stage.Settings.KeepaliveInterval, stage.Settings.LinkTimeout / 3));
                        _previous?.Dispose();
                        _previous = _session;
                        _session = _attempt.Session;
                        _lastHeard = _lastSent = Now;
                        CancelTimer(HelloTimer);
                        CancelTimer(TimeoutTimer);
                        stage.OnAuthenticated?.Invoke(_attempt.Peer!);
                        break;
                    case HandshakeState.Failed:
                        var reason = _attempt.Failure ?? MeshDropReason.HandshakeAuth;
                        stage.Counters.Drop(reason);
                        CancelTimer(HelloTimer);
                        CancelTimer(TimeoutTimer);
                        // An up link survives a failed re-authentication (it may be forged); a new link closes.
                        if (_session is null) FailStage(new MeshLinkClosedException(reason, $"link handshake failed: {reason}"));
                        break;
                }
            }

            protected override void OnTimer(object timerKey)
            {
                if (LivenessTimer.Equals(timerKey))
                {
                    if (StillAlive()) Flush();
                    return;
                }

                if (_attempt.State != HandshakeState.Pending) return;
                if (HelloTimer.Equals(timerKey))
                {
                    SendDown(_attempt.CreateHello());
                }
                else if (TimeoutTimer.Equals(timerKey))
                {
                    // AUTHs that never decrypted mean the neighbour holds another key: say so rather than "timeout".
                    var reason = _attempt.RejectedAuths > 0 ? MeshDropReason.HandshakeAuth : MeshDropReason.HandshakeTimeout;
                    stage.Counters.Drop(reason);
                    CancelTimer(HelloTimer);
                    // An up link survives a failed re-authentication (it may be a replayed HELLO); a new one closes.
                    if (_session is null)
                    {
                        FailStage(new MeshLinkClosedException(reason, $"link handshake failed: {reason}"));
                        return;
                    }
                }

                Flush();
            }

            /// <summary>Closes the link when the neighbour has been silent too long (false); else sends a keepalive if due.</summary>
            private bool StillAlive()
            {
                if (_session is null) return true;
                var now = Now;
                if (now - _lastHeard >= stage.Settings.LinkTimeout)
                {
                    stage.Counters.Drop(MeshDropReason.LinkTimeout);
                    FailStage(new MeshLinkClosedException(MeshDropReason.LinkTimeout,
                        $"neighbour silent for {(now - _lastHeard).TotalSeconds:0} s (link timeout {stage.Settings.LinkTimeout.TotalSeconds:0} s)"));
                    return false;
                }

                if (now - _lastSent >= stage.Settings.KeepaliveInterval)
                {
                    SendDown(_session.Seal(ReadOnlySpan<byte>.Empty));
                    _lastSent = now;
                }

                return true;
            }

            private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

            /// <summary>At most <see cref="HellosPerSecond"/> HELLOs answered per second after a burst of
            /// <see cref="HelloBurst"/> (a retrying neighbour sends one a second); the rest are dropped as <c>auth</c>.</summary>
            private bool TakeHelloToken()
            {
                var now = Now;
                _helloTokens = Math.Min(HelloBurst, _helloTokens + (now - _helloRefilled).TotalSeconds * HellosPerSecond);
                _helloRefilled = now;
                if (_helloTokens < 1) return false;
                _helloTokens--;
                return true;
            }

            private void StartAttemptTimers()
            {
                ScheduleRepeatedly(HelloTimer, stage.Settings.HelloInterval);
                ScheduleOnce(TimeoutTimer, stage.Settings.HandshakeTimeout);
            }

            public override void PostStop()
            {
                _session?.Dispose();
                _previous?.Dispose();
            }

            private static LinkHandshake NewAttempt(Stage stage) =>
                new(stage.Settings.Keys, stage.Settings.Self, stage.Settings.TeamFilter);
        }

        public LinkSecuritySettings Settings { get; } = settings;

        public MeshCounters Counters { get; } = counters;

        public Action<MeshPeerInfo>? OnAuthenticated { get; } = onAuthenticated;
    }
}
