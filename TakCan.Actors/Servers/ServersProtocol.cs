using System.Text;
using TakCan.Actors.Servers.Enrolment;
using TakCan.Protocols.Enrolment;
using static TakCan.Actors.Servers.ServerLinkProtocol;

namespace TakCan.Actors.Servers;

/// <summary>
/// Messages of <see cref="ServersActor"/>, the parent of the device's server links (specs/server-links.md, "Configured
/// servers"). Events to send go to it as <see cref="SendToServer"/>, which it hands to every link. Every command is
/// answered with its own success message or a <see cref="ServerRefused"/>.
/// </summary>
public static class ServersProtocol
{
    /// <summary>Who this device is to its servers: the uid its links authenticate and ping with and enrolment registers.</summary>
    public sealed record ServerIdentity(string Uid, string Callsign);

    /// <summary>Ask for a <see cref="ServerList"/>.</summary>
    public sealed record ListServers
    {
        public static ListServers Instance { get; } = new();
    }

    /// <summary>The configured servers, in the order they were added.</summary>
    public sealed record ServerList(IReadOnlyList<ConfiguredServer> Servers);

    /// <param name="Status">The link's status; null while it starts, or when it has none (see <paramref name="Problem"/>).</param>
    /// <param name="Problem">Why the server has no link (its stored credentials cannot be read, a hand-edited entry is invalid).</param>
    public sealed record ConfiguredServer(ServerEntry Entry, ServerStatus? Status, string? Problem);

    /// <summary>
    /// Configure a server, save the servers file and start its link at once. Certificate files are opened first, so a
    /// wrong password or a missing file is refused here rather than found by the link.
    /// </summary>
    public sealed record AddServer(ServerEntry Entry);

    public sealed record ServerAdded(ServerEntry Entry);

    /// <summary>Stop a server's link and remove it from the servers file. Credentials in the key store stay.</summary>
    public sealed record RemoveServer(string Name);

    public sealed record ServerRemoved(string Name);

    /// <summary>
    /// Enrol for a client certificate (specs/enrolment.md), store it under <paramref name="Name"/> and add the server
    /// with it (<c>ssl://</c>, certificate and CA from the key store).
    /// </summary>
    /// <param name="Password">The password or enrolment token; null to use the one in <paramref name="Target"/>.</param>
    public sealed record EnrollServer(string Name, EnrolmentTarget Target, string? Password, EnrolmentTrust Trust)
    {
        private bool PrintMembers(StringBuilder builder)
        {
            builder.Append("Name = ").Append(Name).Append(", Target = ").Append(Target).Append(", Trust = ").Append(Trust.GetType().Name);
            if (Password is not null) builder.Append(", Password = ***");
            return true;
        }
    }

    public sealed record ServerEnrolled(ServerEntry Entry, EnrolmentResult Result);

    /// <summary>
    /// Import a TAK server-connection data package (specs/enrolment.md, "Data package import") and add a server for
    /// each connection TAK Can can use.
    /// </summary>
    /// <param name="Name">Name of the first connection (then <c>NAME-2</c>…); null: each is named after its host.</param>
    public sealed record ImportServers(ReadOnlyMemory<byte> Package, string? Name = null);

    /// <param name="Notes">Connections left out and what each added one still lacks, one sentence each.</param>
    public sealed record ServersImported(IReadOnlyList<ServerEntry> Added, IReadOnlyList<string> Notes);

    /// <summary>A command was not carried out; nothing changed.</summary>
    public sealed record ServerRefused(ServerRefusal Reason, string Message);

    public enum ServerRefusal
    {
        /// <summary>The entry, name, code or package is wrong; the message says how.</summary>
        Invalid,

        /// <summary>A server of that name is configured (or being added).</summary>
        NameTaken,

        NotFound,

        /// <summary>The enrolment server could not be reached, was not trusted, or refused the credentials or the request.</summary>
        EnrolmentFailed,

        /// <summary>The servers file could not be written.</summary>
        NotSaved,
    }
}
