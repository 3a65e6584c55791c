using System.Security.Cryptography;

namespace WebIde.AppHost.Platform;

public static class OperatorKeyExtensions
{
    /// <summary>Where the installation keeps its operator key, readable by the platform's user alone.</summary>
    public const string FileName = "operator.key";

    /// <summary>
    /// The installation's operator key, made at the first start and kept in the data folder: the gateway answers
    /// <c>/health/details</c> (every service and what is wrong with it) only to a request that carries it as
    /// <c>X-WebIde-Operator-Key</c>. Printed as its file, not its value, so that it stays out of logs.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithOperatorKey(this IResourceBuilder<ProjectResource> gateway, PlatformSettings settings)
    {
        var path = Path.Combine(settings.DataDir, FileName);
        Console.WriteLine($"WebIde: operator key in {path} (GET /health/details with header X-WebIde-Operator-Key: <the key>)");
        return gateway.WithEnvironment("Health__OperatorKey", ReadOrCreate(path));
    }

    public static string ReadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Created with its final mode: never readable by others, not even for a moment.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new FileStream(path, options);
        file.Write(System.Text.Encoding.ASCII.GetBytes(key));
        return key;
    }
}
