namespace TakCan.Protocols.MartiApi;

/// <summary>
/// One record of <c>GET /Marti/api/groups/all</c> (TAK Server's <c>com.bbn.marti.remote.groups.Group</c>): a channel in
/// one direction with its active bit. <see cref="Bitpos"/>, <see cref="Type"/> and <see cref="Created"/> are kept as
/// the server sent them so <c>PUT /Marti/api/groups/active</c> can send the record back unchanged but for
/// <see cref="Active"/>.
/// </summary>
public sealed record MartiGroup(string Name, MartiGroupDirection Direction, bool Active, string? Description = null)
{
    /// <summary>The group's bit in TAK Server's group vector.</summary>
    public int? Bitpos { get; init; }

    /// <summary>TAK Server's group type, e.g. <c>SYSTEM</c> or <c>LDAP</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Creation date as the server wrote it (<c>yyyy-MM-dd</c>).</summary>
    public string? Created { get; init; }
}
