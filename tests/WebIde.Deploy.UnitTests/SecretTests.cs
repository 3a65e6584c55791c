using System.Text;
using k8s.Models;
using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>
/// Git holds no credential or key: the base's Secrets are placeholders, and the production overlay takes every value
/// from the operator's files (overlays/production/secrets/). Every Secret a pod reads exists with the key it reads.
/// </summary>
public sealed class SecretTests
{
    private const string Placeholder = "REPLACE-ME";

    [Test]
    public void TheBasesSecretsHoldOnlyPlaceholders()
    {
        using (Assert.EnterMultipleScope())
        {
            foreach (var secret in Overlay.Base.Manifests.Of<V1Secret>())
            {
                foreach (var (key, value) in secret.Data)
                {
                    Assert.That(Encoding.UTF8.GetString(value), Does.StartWith(Placeholder), $"{secret.Name()}/{key}");
                }
            }
        }
    }

    [Test]
    public void ProductionTakesEverySecretValueFromTheOperatorsFiles()
    {
        var manifests = Overlay.Production.Manifests;
        using (Assert.EnterMultipleScope())
        {
            foreach (var secret in manifests.Of<V1Secret>())
            {
                var given = manifests.OperatorSecrets.GetValueOrDefault(RenderedManifests.GeneratorName(secret));
                Assert.That(given, Is.Not.Null, $"{secret.Name()} is not made from the operator's files");
                Assert.That(secret.Data.ToDictionary(entry => entry.Key, entry => Encoding.UTF8.GetString(entry.Value)), Is.EquivalentTo(given ?? new Dictionary<string, string>()), secret.Name());
            }
        }
    }

    [TestCaseSource(typeof(Cases), nameof(Cases.Workloads))]
    public void EverySecretThePodReadsExistsWithItsKeys(Overlay overlay, Workload workload)
    {
        var secrets = overlay.Manifests.Of<V1Secret>().ToDictionary(secret => secret.Name());
        var references = workload.Containers.SelectMany(container => container.Spec.Env ?? [])
            .Select(variable => variable.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>()
            .Select(selector => (selector.Name, selector.Key))
            .Concat((workload.Pod.Volumes ?? []).Select(volume => volume.Secret).OfType<V1SecretVolumeSource>()
                .SelectMany(volume => (volume.Items ?? []).Select(item => (volume.SecretName, item.Key)).DefaultIfEmpty((volume.SecretName, ""))));

        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, key) in references)
            {
                Assert.That(secrets.ContainsKey(name), $"Secret {name}");
                if (key.Length > 0 && secrets.TryGetValue(name, out var secret))
                {
                    Assert.That(secret.Data.Keys, Does.Contain(key), $"Secret {name}");
                }
            }
        }
    }
}
