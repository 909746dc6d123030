using System.Text;

namespace TakCan.Actors.Servers;

/// <summary>Username and password for a TAK Server input with <c>auth="file"</c> or <c>auth="ldap"</c>.</summary>
public sealed record ServerCredentials(string Username, string Password)
{
    // Settings end up in logs and status dumps; the password must not.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username).Append(", Password = ***");
        return true;
    }
}
