using System.Text.Json;
using Microsoft.Extensions.Options;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// What a container may be created as: what <see cref="SandboxFactory"/> and
/// <see cref="LanguageVersions"/> ask for, and nothing more. A field the policy does not name
/// must be absent or at Go's zero value (false, 0, "", null, empty), so whatever the engine
/// grows next (a mount, a device, a capability, a host namespace) is refused until it is named here.
/// </summary>
public sealed class ContainerCreatePolicy(IOptions<DockerGateOptions> options)
{
    /// <summary>Fields of the container's config the service sets freely: they act only inside the container.</summary>
    private static readonly HashSet<string> FreeConfig = new(StringComparer.OrdinalIgnoreCase)
    {
        "Hostname", "WorkingDir", "Entrypoint", "Cmd", "Env",
        "OpenStdin", "StdinOnce", "AttachStdin", "AttachStdout", "AttachStderr", "Tty",
    };

    /// <summary>Host config the service sets freely: limits and what is mounted from no host path.</summary>
    private static readonly HashSet<string> FreeHostConfig = new(StringComparer.OrdinalIgnoreCase)
    {
        "Memory", "MemorySwap", "NanoCpus", "PidsLimit", "ShmSize", "Ulimits",
        // The jail needs an unmasked /proc (Sandbox/README.md); the container holds no capability to use it.
        "MaskedPaths", "ReadonlyPaths",
    };

    private static readonly HashSet<string> PrivateIpcModes = new(StringComparer.Ordinal) { "", "private", "none", "shareable" };

    /// <summary>Null when the body may go to the engine; otherwise why not.</summary>
    public string? Check(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return "the container config is not JSON";
        }
        using (document)
        {
            return Check(document.RootElement);
        }
    }

    private string? Check(JsonElement root)
    {
        var settings = options.Value;
        if (StrictJson.Members(root, "the container config", out var refusal) is not { } config)
        {
            return refusal;
        }

        foreach (var (name, value) in config)
        {
            var fault = name.ToUpperInvariant() switch
            {
                "IMAGE" => value.ValueKind == JsonValueKind.String && settings.AllowedImages.Contains(value.GetString(), StringComparer.Ordinal)
                    ? null : $"image {value} is not the runner image",
                "USER" => value.ValueKind == JsonValueKind.String && value.GetString() == SandboxFactory.RunnerUser
                    ? null : $"the container must run as {SandboxFactory.RunnerUser}",
                "NETWORKDISABLED" => value.ValueKind == JsonValueKind.True ? null : "the container must have no network",
                "LABELS" => CheckLabels(value, settings.Installation),
                "HOSTCONFIG" => CheckHostConfig(value),
                _ when FreeConfig.Contains(name) => null,
                _ => StrictJson.IsNeutral(value) ? null : $"{name} is not allowed",
            };
            if (fault is not null)
            {
                return fault;
            }
        }

        string[] required = ["Image", "User", "NetworkDisabled", "Labels", "HostConfig"];
        return required.FirstOrDefault(name => !config.ContainsKey(name)) is { } missing ? $"{missing} is required" : null;
    }

    private static string? CheckLabels(JsonElement value, string installation)
    {
        if (StrictJson.Members(value, "Labels", out var refusal) is null)
        {
            return refusal;
        }
        // A map's keys: the engine keeps them as written, so they are matched exactly here.
        var labels = value.EnumerateObject().ToDictionary(label => label.Name, label => label.Value, StringComparer.Ordinal);
        return labels.TryGetValue(SandboxLabels.Installation, out var owner) && owner.ValueKind == JsonValueKind.String && owner.GetString() == installation
            && labels.TryGetValue(SandboxLabels.Managed, out var managed) && managed.ValueKind == JsonValueKind.String && managed.GetString() == "true"
                ? null
                : $"the container must carry {SandboxLabels.Managed}=true and this installation's {SandboxLabels.Installation}";
    }

    private static string? CheckHostConfig(JsonElement value)
    {
        if (StrictJson.Members(value, "HostConfig", out var refusal) is not { } host)
        {
            return refusal;
        }
        foreach (var (name, setting) in host)
        {
            var fault = name.ToUpperInvariant() switch
            {
                "NETWORKMODE" => setting.ValueKind == JsonValueKind.String && setting.GetString() == "none" ? null : "NetworkMode must be none",
                "READONLYROOTFS" => setting.ValueKind == JsonValueKind.True ? null : "the root file system must be read-only",
                "CAPDROP" => Strings(setting) is { } dropped && dropped.Contains("ALL", StringComparer.OrdinalIgnoreCase) ? null : "CapDrop must drop ALL",
                "SECURITYOPT" => CheckSecurityOptions(setting),
                "LOGCONFIG" => CheckLogConfig(setting),
                "IPCMODE" => setting.ValueKind == JsonValueKind.String && PrivateIpcModes.Contains(setting.GetString()!) ? null : "IpcMode must be private",
                "TMPFS" => setting.ValueKind == JsonValueKind.Object && setting.EnumerateObject().All(mount => mount.Value.ValueKind == JsonValueKind.String)
                    ? null : "Tmpfs must map paths to options",
                _ when FreeHostConfig.Contains(name) => null,
                _ => StrictJson.IsNeutral(setting) ? null : $"HostConfig.{name} is not allowed",
            };
            if (fault is not null)
            {
                return fault;
            }
        }

        string[] required = ["NetworkMode", "ReadonlyRootfs", "CapDrop", "SecurityOpt"];
        return required.FirstOrDefault(name => !host.ContainsKey(name)) is { } missing ? $"HostConfig.{missing} is required" : null;
    }

    /// <summary>No new privileges always; a seccomp profile only if it is the sandbox's own (sandbox-seccomp.json).</summary>
    private static string? CheckSecurityOptions(JsonElement setting)
    {
        if (Strings(setting) is not { } options || !options.Contains("no-new-privileges", StringComparer.Ordinal))
        {
            return "SecurityOpt must hold no-new-privileges";
        }
        var sandboxSeccomp = $"seccomp={SandboxFactory.SeccompProfile}";
        return options.FirstOrDefault(option => option != "no-new-privileges" && option != sandboxSeccomp) is { } other
            ? $"security option {(other.Length > 40 ? other[..40] + "…" : other)} is not allowed"
            : null;
    }

    /// <summary>No log driver: one could write or send the output elsewhere.</summary>
    private static string? CheckLogConfig(JsonElement setting)
    {
        if (StrictJson.Members(setting, "HostConfig.LogConfig", out var refusal) is not { } log)
        {
            return refusal;
        }
        return log.All(field => field.Key.Equals("Type", StringComparison.OrdinalIgnoreCase)
                ? field.Value.ValueKind == JsonValueKind.String && field.Value.GetString() == "none"
                : StrictJson.IsNeutral(field.Value))
            ? null
            : "LogConfig must be type none";
    }

    private static string[]? Strings(JsonElement setting) =>
        setting.ValueKind == JsonValueKind.Array && setting.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String)
            ? [.. setting.EnumerateArray().Select(item => item.GetString()!)]
            : null;
}
