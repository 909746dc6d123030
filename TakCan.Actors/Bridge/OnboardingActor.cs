using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using TakCan.Actors.Device;
using TakCan.Protocols.Bridge;
using TakCan.Protocols.Mesh.Envelopes;
using static TakCan.Actors.Mesh.MeshProtocol;

namespace TakCan.Actors.Bridge;

/// <summary>
/// The peer's side of onboarding (specs/bridge.md): with a client certificate from a TAK Server's CA, the device signs
/// every envelope it originates and tells the bridges on the mesh who it is, so a bridge sends its CoT up to the server.
/// Without a certificate it does nothing and its CoT stays in the mesh.
/// </summary>
public sealed class OnboardingActor : ReceiveActor, IWithTimers
{
    private readonly OnboardingSettings _settings;
    private readonly IActorRef _device;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _mesh = ActorRefs.Nobody;
    private OnboardingIdentity? _identity;
    private string? _fingerprint;
    private DateTime _lastSent = DateTime.MinValue;
    private bool _checking;
    private string? _lastProblem;

    public OnboardingActor(OnboardingSettings settings, IActorRef device)
    {
        _settings = settings;
        _device = device;

        Receive<DeviceProtocol.ChildrenOf>(children =>
        {
            _mesh = children.Mesh;
            Timers.StartPeriodicTimer("check", Check.Instance, _settings.CheckInterval);
            Self.Tell(Check.Instance);
        });
        Receive<Check>(_ => Load());
        Receive<IdentityRead>(Read);
        Receive<OnboardNow>(_ =>
        {
            if (_identity is not null) Send();
            Sender.Tell(new OnboardingState(_fingerprint, _identity?.Certificate.Subject, _lastSent == DateTime.MinValue ? null : _lastSent, _lastProblem));
        });
        Receive<SentToMesh>(_ => { });
    }

    public static Props Props(OnboardingSettings settings, IActorRef device) =>
        Akka.Actor.Props.Create(() => new OnboardingActor(settings, device));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => _device.Tell(DeviceProtocol.GetChildren.Instance);

    private void Load()
    {
        if (_checking) return;
        _checking = true;
        _settings.Identity(CancellationToken.None).PipeTo(Self,
            success: identity => new IdentityRead(identity, null),
            failure: e => new IdentityRead(null, e is AggregateException { InnerException: { } inner } ? inner.Message : e.Message));
    }

    private void Read(IdentityRead read)
    {
        _checking = false;
        var identity = read.Identity is { } found && found.Certificate.NotAfter.ToUniversalTime() > DateTime.UtcNow ? found : null;
        var problem = read.Problem ?? (read.Identity is not null && identity is null ? "the certificate has expired; enrol again" : null);
        if (problem is not null && problem != _lastProblem) _log.Warning("Onboarding: no certificate to prove this device with: {0}", problem);
        _lastProblem = problem;
        var fingerprint = identity is null ? null : Convert.ToHexStringLower(SHA256.HashData(identity.Certificate.RawData));
        if (fingerprint != _fingerprint)
        {
            OriginSigner? signer = null;
            if (identity is not null)
            {
                try
                {
                    signer = new OriginSigner(identity.Certificate);
                }
                catch (BridgeMessageException e)
                {
                    _lastProblem = e.Message;
                    _log.Warning("Onboarding: certificate {0} cannot sign: {1}", identity.Certificate.Subject, e.Message);
                    identity = null;
                    fingerprint = null;
                }
            }

            _identity = identity;
            _fingerprint = fingerprint;
            _mesh.Tell(new UseOriginSigner(signer));
            if (identity is null) return;
            _log.Info("Onboarding: this device signs its mesh messages as {0} and onboards with the bridges", identity.Certificate.Subject);
            Send();
            return;
        }

        // The same certificate read again: keep the one in use (the mesh signs with it).
        if (read.Identity is { } again && !ReferenceEquals(again.Certificate, _identity?.Certificate)) again.Certificate.Dispose();
        if (_identity is not null && DateTime.UtcNow - _lastSent >= _settings.Resend) Send();
    }

    private void Send()
    {
        var identity = _identity!;
        try
        {
            var request = OnboardRequest.Create(_settings.Node, _settings.Uid, DateTimeOffset.UtcNow, identity.Certificate,
                identity.Chain.Take(OnboardRequest.MaxChainLength - 1));
            _mesh.Tell(new SendToMesh(MeshMessageKind.Control, request.ToBytes()));
            _lastSent = DateTime.UtcNow;
        }
        catch (BridgeMessageException e)
        {
            _lastProblem = e.Message;
            _log.Warning("Onboarding: cannot build the onboard message: {0}", e.Message);
        }
    }

    /// <summary>Send the onboard message now (when there is a certificate); answered with <see cref="OnboardingState"/>.</summary>
    public sealed record OnboardNow
    {
        public static OnboardNow Instance { get; } = new();
    }

    /// <param name="Fingerprint">SHA-256 of the certificate this device signs with; null when it has none.</param>
    /// <param name="LastSent">When the onboard message last went out.</param>
    /// <param name="Problem">Why there is no usable certificate, when there is not.</param>
    public sealed record OnboardingState(string? Fingerprint, string? Subject, DateTime? LastSent, string? Problem);

    private sealed record IdentityRead(OnboardingIdentity? Identity, string? Problem);

    private sealed record Check
    {
        public static Check Instance { get; } = new();
    }
}
