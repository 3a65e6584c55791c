using System.Diagnostics;
using System.Globalization;

namespace WebIde.ServiceDefaults.Files;

/// <summary>
/// Who owns a file, by user and group id, read with <c>stat</c> and given with <c>chown</c>: .NET can set a
/// file's mode but neither read nor change its owner, and the few files the AppHost hands to the services' user
/// at start (docs/platform.md, "Production mode") are not worth native calls of their own. Linux only.
/// </summary>
public readonly record struct FileOwner(int Uid, int Gid)
{
    /// <summary>The file's owner; a symbolic link's own, not its target's.</summary>
    public static FileOwner Of(string path)
    {
        var ids = Run("stat", "--format=%u %g", "--", path).Split(' ');
        return new FileOwner(int.Parse(ids[0], CultureInfo.InvariantCulture), int.Parse(ids[1], CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Gives <paramref name="path"/> to this owner, and with <paramref name="recursive"/> everything under it too.
    /// Symbolic links are never followed (<c>chown -R</c> changes the link, not its target): a link the owner put
    /// in a folder of theirs must not get them the file it points to.
    /// </summary>
    public void Apply(string path, bool recursive = false)
    {
        if (recursive)
        {
            Run("chown", "--recursive", "--no-dereference", ToString(), "--", path);
        }
        else
        {
            Run("chown", "--no-dereference", ToString(), "--", path);
        }
    }

    /// <summary>The owner written as <see cref="ToString"/> writes it, <c>uid:gid</c>.</summary>
    public static FileOwner Parse(string owner)
    {
        var ids = owner.Split(':');
        return ids.Length == 2
            && int.TryParse(ids[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
            && int.TryParse(ids[1], NumberStyles.None, CultureInfo.InvariantCulture, out var gid)
            ? new FileOwner(uid, gid)
            : throw new FormatException($"'{owner}' is not an owner: numeric uid:gid, such as 998:998.");
    }

    /// <summary><c>uid:gid</c>, as <c>chown</c> takes it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Uid}:{Gid}");

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new IOException($"{program} did not start.");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new IOException($"{program} {string.Join(' ', arguments)} failed (exit {process.ExitCode}): {error.Result.Trim()}");
        }
        return output.Trim();
    }
}
