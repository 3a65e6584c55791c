using WebIde.AppHost.Platform;

namespace WebIde.AppHost.Services;

public static class LeanRuntimeExtensions
{
    /// <summary>The file holding the runtime settings, beside the AppHost's project; <c>./webide up</c> reads it too.</summary>
    public const string RuntimeSettingsFile = "lean-runtime.env";

    /// <summary>
    /// Runtime settings that keep an idle .NET service small on a two-core machine running
    /// eight of them; see docs/platform.md ("Running lean") for what each costs and saves.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLeanRuntime(this IResourceBuilder<ProjectResource> project)
    {
        var variables = ReadRuntimeSettings(Path.Combine(project.ApplicationBuilder.AppHostDirectory, RuntimeSettingsFile));
        var dashboard = PlatformSettings.HasDashboard(project.ApplicationBuilder.Configuration);
        // Added after AddProject's own telemetry settings, so the file's OTEL_METRIC_EXPORT_INTERVAL
        // replaces Aspire's development default.
        return project.WithEnvironment(context =>
        {
            foreach (var (name, value) in variables)
            {
                context.EnvironmentVariables[name] = value;
            }
            if (!dashboard)
            {
                // Aspire names the dashboard's OTLP address even when it does not start it; an
                // exporter aimed at nobody retried every batch, some 30 failed connections (and
                // exceptions) a second in each service.
                context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
            }
        });
    }

    /// <summary><c>NAME=value</c> lines; blank lines and <c>#</c> comments are skipped.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ReadRuntimeSettings(string file) =>
        [.. File.ReadLines(file)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2) is [var name, var value] && name.Length > 0
                ? KeyValuePair.Create(name, value)
                : throw new FormatException($"{file}: '{line}' is not NAME=value"))];
}
