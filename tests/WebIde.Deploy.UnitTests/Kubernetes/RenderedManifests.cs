using k8s;
using k8s.Models;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>Every object an overlay renders, typed, and the operator's stand-in secret values it was rendered with.</summary>
public sealed class RenderedManifests
{
    public RenderedManifests(string yaml, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> operatorSecrets)
    {
        // Strict: a misspelt field fails here instead of being dropped silently, as the API server would.
        Objects = KubernetesYaml.LoadAllFromString(yaml, strict: true);
        OperatorSecrets = operatorSecrets;
        Workloads = [
            .. Of<V1Deployment>().Select(deployment => new Workload(deployment.Kind, deployment.Name(), deployment.Spec.Template, deployment.Spec.Replicas ?? 1)),
            .. Of<V1StatefulSet>().Select(set => new Workload(set.Kind, set.Name(), set.Spec.Template, set.Spec.Replicas ?? 1, set)),
            .. Of<V1Job>().Select(job => new Workload(job.Kind, job.Name(), job.Spec.Template, 1)),
        ];
    }

    public IReadOnlyList<object> Objects { get; }

    /// <summary>The values the overlay's Secrets were made from, by Secret and key (empty for the base).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> OperatorSecrets { get; }

    /// <summary>What runs pods: Deployments, StatefulSets and Jobs.</summary>
    public IReadOnlyList<Workload> Workloads { get; }

    public IEnumerable<T> Of<T>() => Objects.OfType<T>();

    public Workload Workload(string name) => Workloads.Single(workload => workload.Name == name);

    public V1ConfigMap ConfigMap(string name) => Of<V1ConfigMap>().Single(map => map.Name() == name);

    /// <summary>A Secret by the name its generator gives it, which the rendered name carries with a hash suffix.</summary>
    public V1Secret Secret(string generatorName) => Of<V1Secret>().Single(secret => GeneratorName(secret) == generatorName);

    /// <summary>The generator's name of a rendered Secret: its name without the ten-character hash suffix.</summary>
    public static string GeneratorName(V1Secret secret) =>
        secret.Name() is var name && name.Length > 11 && name[^11] == '-' ? name[..^11] : name;

    /// <summary>The largest number of pods the workload is kept at or above, its autoscaler's minimum included.</summary>
    public int LeastReplicas(Workload workload) =>
        Of<V2HorizontalPodAutoscaler>()
            .Where(autoscaler => autoscaler.Spec.ScaleTargetRef.Kind == workload.Kind && autoscaler.Spec.ScaleTargetRef.Name == workload.Name)
            .Select(autoscaler => autoscaler.Spec.MinReplicas ?? 1)
            .Append(workload.Replicas)
            .Max();
}
