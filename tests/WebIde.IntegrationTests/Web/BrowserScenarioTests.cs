using Aspire.Hosting.Testing;

namespace WebIde.IntegrationTests.Web;

/// <summary>
/// The web app in headless Chromium (Debian's, through playwright-core) against the test
/// platform, through the gateway: one test per scenario in <c>web/e2e/browser/scenarios</c>.
/// Screenshots go to the test run's output (<c>WEBIDE_TEST_OUTPUT</c>, else the test's work
/// directory) and are attached to the result.
/// </summary>
public sealed class BrowserScenarioTests
{
    private const string Runner = "web/e2e/browser/run.mjs";

    public static IEnumerable<string> Scenarios() =>
        Directory.EnumerateFiles(Path.Combine(Platform.RepositoryRoot, "web", "e2e", "browser", "scenarios"), "*.mjs")
            .Select(Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Order(StringComparer.Ordinal);

    [TestCaseSource(nameof(Scenarios))]
    public async Task Scenario(string name)
    {
        var output = Path.Combine(Environment.GetEnvironmentVariable("WEBIDE_TEST_OUTPUT") is { Length: > 0 } results ? results : TestContext.CurrentContext.WorkDirectory, "browser");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        using var harness = NodeHarness.Start(Runner, ["--out", output, "--only", name]);
        var result = await harness.WaitForExitAsync(deadline.Token);
        await TestContext.Out.WriteLineAsync($"[browser] summary: {result}");

        if (result.HasSummary)
        {
            foreach (var screenshot in result.Summary.GetProperty("screenshots").EnumerateArray().Select(file => file.GetString()).OfType<string>())
            {
                TestContext.AddTestAttachment(screenshot);
            }
        }
        Assert.That(result.HasSummary, Is.True, $"{result}\n{harness.RecentProgress}");
        Assert.Multiple(() =>
        {
            Assert.That(result.Failures, Is.EqualTo("[]"), harness.RecentProgress);
            Assert.That(result.ExitCode, Is.Zero, "the runner's exit code");
        });
    }
}
