using System.Text.Json;
using Microsoft.Extensions.Options;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// A container list must be filtered to this installation's containers, as
/// <see cref="SandboxContainers.ListAsync"/> always filters it: another installation's (or anyone's)
/// containers are not the service's to see.
/// </summary>
public sealed class ContainerListPolicy(IOptions<DockerGateOptions> options)
{
    /// <summary>Null when the query asks for this installation's containers only; otherwise why not.</summary>
    public string? Check(string rawTarget)
    {
        var required = $"{SandboxLabels.Installation}={options.Value.Installation}";
        var query = rawTarget.Split('?', 2) is [_, var text] ? text : "";
        if (GoQuery.Parse(query) is not { } parameters)
        {
            return "the query is malformed";
        }
        // Go's form takes the first of a repeated parameter and matches names exactly: one, spelled so.
        var filters = parameters.Where(parameter => parameter.Key.Equals("filters", StringComparison.OrdinalIgnoreCase)).ToList();
        if (filters is not [{ Key: "filters", Value: var json }])
        {
            return $"a container list must filter on the label {required}";
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (StrictJson.HasRepeatedNames(document.RootElement)
                || document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("label", out var labels))
            {
                return $"a container list must filter on the label {required}";
            }
            // Both forms the engine reads: {"label": {"k=v": true}} and the older {"label": ["k=v"]}.
            var filtered = labels.ValueKind switch
            {
                JsonValueKind.Object => labels.TryGetProperty(required, out var wanted) && wanted.ValueKind == JsonValueKind.True,
                JsonValueKind.Array => labels.EnumerateArray().Any(label => label.ValueKind == JsonValueKind.String && label.GetString() == required),
                _ => false,
            };
            return filtered ? null : $"a container list must filter on the label {required}";
        }
        catch (JsonException)
        {
            return "the filters are not JSON";
        }
    }
}
