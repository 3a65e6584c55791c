using System.Globalization;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.Platform;

/// <summary>
/// The user the services and the gateway run as in production (<c>WebIde:ServiceUser</c>, <c>./webide up
/// --production</c>): a local user, with its own user id and its primary group, and no other group.
/// </summary>
public sealed record ServiceAccount(string Name, int Uid, int Gid)
{
    /// <summary>Where local users are listed; a user known only to a directory service (LDAP) is not looked up.</summary>
    public const string PasswdFile = "/etc/passwd";

    /// <summary>
    /// The user and its primary group as a file's owner: what the AppHost hands to the services, and the
    /// <c>uid:gid</c> (its <see cref="FileOwner.ToString"/>) that a socket the services must open is given to.
    /// </summary>
    public FileOwner Owner => new(Uid, Gid);

    /// <summary>The user named <paramref name="name"/> in <paramref name="passwd"/> (the lines of /etc/passwd).</summary>
    /// <exception cref="InvalidOperationException">No such user, or root: the message says what to do.</exception>
    public static ServiceAccount Find(string name, IEnumerable<string> passwd)
    {
        foreach (var line in passwd)
        {
            // name:password:uid:gid:comment:home:shell
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name
                && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                && int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var gid))
            {
                return uid == 0
                    ? throw new InvalidOperationException($"WebIde:ServiceUser is '{name}', which is root: name a user of its own, such as 'webide'.")
                    : new ServiceAccount(name, uid, gid);
            }
        }
        throw new InvalidOperationException(
            $"WebIde:ServiceUser is '{name}', but there is no such user in {PasswdFile}. Make one " +
            $"(useradd --system --no-create-home --shell /usr/sbin/nologin {name}; ./webide up --production does), or leave the setting empty.");
    }
}
