using WebIde.IntegrationTests;

// Outside WebIde.IntegrationTests on purpose: the platform's SetUpFixture (Platform) covers that
// namespace, and this guard needs no platform, so it runs in a second when run alone.
namespace WebIde.HostileSuite;

/// <summary>
/// Issue 16's hostile suite stays what it promised: at least 40 cases across HTTP, WebSocket and
/// gRPC, at least 8 on each, every one on exactly one transport (docs/security.md, "Hostile suite").
/// Deleting or untagging cases fails here.
/// </summary>
[Category(HostileCategories.Suite)]
public sealed class HostileSuiteTests
{
    public const int AtLeast = 40;
    public const int AtLeastPerTransport = 8;

    [Test]
    public async Task TheSuiteHasAtLeast40CasesAndAtLeast8OnEachTransport()
    {
        var assembly = typeof(HostileCategories).Assembly;
        var tagged = HostileCases.Tagged(assembly);
        var cases = HostileCases.Of(assembly);
        var perTransport = HostileCategories.Transports.ToDictionary(transport => transport, transport => cases.Count(@case => @case.Transport == transport));

        await TestContext.Out.WriteLineAsync($"hostile suite: {cases.Count} cases ({string.Join(", ", perTransport.Select(count => $"{count.Key} {count.Value}"))})");
        foreach (var @case in cases.OrderBy(@case => @case.Transport, StringComparer.Ordinal).ThenBy(@case => @case.FullName, StringComparer.Ordinal))
        {
            await TestContext.Out.WriteLineAsync($"  {@case}");
        }

        using (Assert.EnterMultipleScope())
        {
            Assert.That(tagged.Where(test => test.Transports.Count != 1 && !test.FullName.StartsWith(typeof(HostileSuiteTests).FullName!, StringComparison.Ordinal)).Select(test => test.FullName),
                Is.Empty, $"every hostile case names exactly one transport ({string.Join(", ", HostileCategories.Transports)})");
            Assert.That(cases, Has.Count.GreaterThanOrEqualTo(AtLeast));
            foreach (var (transport, count) in perTransport)
            {
                Assert.That(count, Is.GreaterThanOrEqualTo(AtLeastPerTransport), transport);
            }
        }
    }
}
