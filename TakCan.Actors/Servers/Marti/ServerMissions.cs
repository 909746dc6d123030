using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using TakCan.Actors.Platform;
using TakCan.Protocols.Enrolment;
using TakCan.Protocols.MartiApi;
using static TakCan.Actors.Servers.MartiApi.MissionsProtocol;

namespace TakCan.Actors.Servers.MartiApi;

/// <summary>
/// Carries out <see cref="MissionsProtocol"/> commands against one configured server for <see cref="ServersActor"/>:
/// a <see cref="MartiClient"/> from the server's own certificate and CA (loaded for each command, so renewed files
/// and enrolments are picked up, as the links do), a <see cref="MissionsService"/> that keeps tokens in the device's
/// key store and tells the device each mission event. Plain async code: HTTP never runs on an actor thread.
/// </summary>
internal sealed class ServerMissions
{
    private readonly MissionsSettings _settings;
    private readonly FileMissionContentStore _contents;
    private readonly IKeyStore _tokens;
    private readonly string _clientUid;
    private readonly IActorRef _device;

    public ServerMissions(MissionsSettings settings, IKeyStore tokens, string clientUid, IActorRef device)
    {
        _settings = settings;
        _contents = new FileMissionContentStore(settings.Directory);
        _tokens = tokens;
        _clientUid = clientUid;
        _device = device;
    }

    /// <param name="link">The server's link settings, with key-store passwords resolved: its TLS settings name the certificates.</param>
    /// <returns>The command's answer, or a <see cref="MissionRefused"/>.</returns>
    public async Task<object> RunAsync(ServerEntry entry, ServerLinkSettings link, MissionCommand command)
    {
        if (command is SubscribeMission { Mission: var subscribing } && MissionNameProblem(subscribing) is { } invalid) return new MissionRefused(MissionRefusal.Invalid, invalid);
        if (command is PullMission { Mission: var pulling } && MissionNameProblem(pulling) is { } bad) return new MissionRefused(MissionRefusal.Invalid, bad);
        if (link.Tls is not { ClientCertificate: { } certificate } tls)
            return Unusable(entry, link.Tls is null
                ? "it is a plain tcp:// server, and TAK Server's API wants the device's client certificate: configure it as ssl:// with a certificate and CA"
                : "it has no client certificate, and TAK Server's API wants one: enrol with the server or give a certificate");

        Uri api;
        X509Certificate2Collection authorities;
        X509Certificate2 identity;
        X509Certificate2Collection chain;
        try
        {
            api = entry.MartiUri();
            authorities = tls.LoadAuthorities();
        }
        catch (Exception e) when (e is ArgumentException or ServerLinkException)
        {
            return Unusable(entry, e.Message);
        }

        try
        {
            (identity, chain) = certificate.Load();
        }
        catch (ServerLinkException e)
        {
            ClientCertificateSource.Dispose(authorities);
            return Unusable(entry, e.Message);
        }

        try
        {
            using var client = new MartiClient(api, identity, authorities, _settings.Client with { ServerName = tls.ServerName }, chain);
            var missions = new MissionsService(client, entry.Name, _clientUid, _contents, _device, _tokens);
            return command switch
            {
                ListMissions => new MissionList(entry.Name, await missions.ListAsync()),
                SubscribeMission subscribe => Subscribed(entry.Name, subscribe.Mission, await missions.SubscribeAsync(subscribe.Mission)),
                PullMission pull => await PullAsync(missions, entry.Name, pull.Mission),
                _ => throw new ArgumentOutOfRangeException(nameof(command), command, "not a mission command"),
            };
        }
        catch (MartiException e) when (e.StatusCode == 404 && command is not ListMissions)
        {
            return new MissionRefused(MissionRefusal.UnknownMission, e.Message);
        }
        catch (MartiException e)
        {
            return new MissionRefused(MissionRefusal.ServerFailed, e.Message);
        }
        catch (Exception e) when (e is ArgumentException or EnrolmentException)
        {
            return Unusable(entry, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new MissionRefused(MissionRefusal.NotSaved, $"the mission could not be kept in {_contents.Directory} or the key store: {e.Message}");
        }
        finally
        {
            identity.Dispose();
            ClientCertificateSource.Dispose(chain);
            ClientCertificateSource.Dispose(authorities);
        }
    }

    private async Task<object> PullAsync(MissionsService missions, string server, string mission)
    {
        var pulled = await missions.PullAsync(mission);
        return new MissionPulled(server, pulled, Path.Combine(_contents.Directory, MissionFileName.For(pulled.Mission)));
    }

    private static MissionSubscribed Subscribed(string server, string mission, MartiSubscription subscription) =>
        new(server, subscription.Mission?.Name ?? mission, subscription.Role, MissionsService.TokenName(server, mission));

    private static MissionRefused Unusable(ServerEntry entry, string why) =>
        new(MissionRefusal.Unusable, $"server '{entry.Name}' cannot be used for missions: {why}");
}
