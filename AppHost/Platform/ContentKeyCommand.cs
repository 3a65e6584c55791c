using Microsoft.Extensions.Configuration;
using WebIde.AppHost.Services;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.AppHost.Platform;

/// <summary>
/// <c>--WebIde:ContentKeys=rotate</c> (<c>./webide keys rotate</c>): adds a new content key that
/// seals from the next start on, keeps every older key so what they sealed stays readable, and
/// exits without starting the platform. A platform that is running reads what the new key sealed
/// as soon as it meets it, and seals with it after its next start.
/// </summary>
public static class ContentKeyCommand
{
    /// <summary>Runs the command when the arguments ask for it; its exit code, or null when they do not.</summary>
    public static int? TryRun(string[] args, string appHostDirectory, TextWriter output)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
        var command = configuration["WebIde:ContentKeys"];
        if (string.IsNullOrEmpty(command))
        {
            return null;
        }
        if (command != "rotate")
        {
            output.WriteLine($"WebIde:ContentKeys is '{command}'; the only command is 'rotate'.");
            return 2;
        }

        if (string.IsNullOrEmpty(configuration["WebIde:DataDir"]))
        {
            output.WriteLine("Name the installation's data folder: --WebIde:DataDir=DIR (./webide passes it).");
            return 2;
        }

        var file = PlatformSettings.From(configuration, appHostDirectory).ContentKeyRing();
        try
        {
            var made = KeyRingFile.CreateIfMissing(file, DateTimeOffset.UtcNow);
            var added = made ? KeyRingFile.Read(file)[^1] : KeyRingFile.Rotate(file, DateTimeOffset.UtcNow);
            var keys = KeyRingFile.Read(file);
            output.WriteLine(made
                ? $"made the content key ring {file} with key {added.Id}"
                : $"added content key {added.Id} to {file}; it seals from the next start, and the {keys.Count - 1} older key(s) still open what they sealed");
            return 0;
        }
        catch (InvalidOperationException exception)
        {
            output.WriteLine(exception.Message);
            return 1;
        }
    }
}
