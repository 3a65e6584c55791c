using k8s.Models;
using WebIde.Deploy.UnitTests.Kubernetes;

namespace WebIde.Deploy.UnitTests;

/// <summary>The public entry: every host the Ingresses serve is served over TLS, and only the gateway's ports are behind them.</summary>
public sealed class IngressTests
{
    public static IEnumerable<TestCaseData> Ingresses() =>
        Overlay.All.SelectMany(overlay => overlay.Manifests.Of<V1Ingress>().Select(ingress =>
            new TestCaseData(overlay, ingress).SetArgDisplayNames(overlay.Name, $"Ingress/{ingress.Name()}")));

    [TestCaseSource(nameof(Ingresses))]
    public void ServesEveryHostOverTls(Overlay overlay, V1Ingress ingress)
    {
        var tlsHosts = (ingress.Spec.Tls ?? []).Where(tls => !string.IsNullOrEmpty(tls.SecretName)).SelectMany(tls => tls.Hosts ?? []);
        Assert.That(tlsHosts, Is.SupersetOf(ingress.Spec.Rules.Select(rule => rule.Host)));
    }

    [TestCaseSource(nameof(Ingresses))]
    public void LeadsOnlyToAPortOfTheGateway(Overlay overlay, V1Ingress ingress)
    {
        var gateway = overlay.Manifests.Of<V1Service>().Single(service => service.Name() == "gateway");
        var backends = ingress.Spec.Rules.SelectMany(rule => rule.Http.Paths).Select(path => path.Backend.Service);
        using (Assert.EnterMultipleScope())
        {
            foreach (var backend in backends)
            {
                Assert.That(backend.Name, Is.EqualTo("gateway"));
                Assert.That(gateway.Spec.Ports.Any(port => port.Name == backend.Port.Name || port.Port == backend.Port.Number), $"port {backend.Port.Name}{backend.Port.Number}");
            }
        }
    }
}
