using System.Text;
using System.Text.RegularExpressions;
using k8s.Models;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>
/// A container's environment as the kubelet gives it to one pod: literal values, ConfigMap and Secret keys, the
/// pod's name, and <c>$(NAME)</c> references to variables defined before, expanded.
/// </summary>
public static partial class ContainerEnvironment
{
    public static IReadOnlyDictionary<string, string> Of(Container container, RenderedManifests manifests, string podName)
    {
        var environment = new Dictionary<string, string>();
        foreach (var variable in container.Spec.Env ?? [])
        {
            environment[variable.Name] = variable.ValueFrom switch
            {
                null => Reference().Replace(variable.Value ?? "", match => environment.GetValueOrDefault(match.Groups[1].Value, match.Value)),
                { ConfigMapKeyRef: { } key } => manifests.ConfigMap(key.Name).Data[key.Key],
                { SecretKeyRef: { } key } => Encoding.UTF8.GetString(manifests.Of<V1Secret>().Single(secret => secret.Name() == key.Name).Data[key.Key]),
                { FieldRef.FieldPath: "metadata.name" } => podName,
                var other => throw new NotSupportedException($"{container}: {variable.Name} comes from {other}, which this test does not resolve"),
            };
        }
        return environment;
    }

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
