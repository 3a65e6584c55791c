using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Services;

namespace WebIde.AppHost.UnitTests;

public sealed class LeanRuntimeTests
{
    private static readonly string[] DotNetProcesses = ["identity", "filesystem", "collaboration-1", "collaboration-2", "docker-gate", "execution", "gateway"];

    [Test]
    public async Task EveryDotNetProcessGetsTheRuntimeSettingsAndATenSecondMetricInterval()
    {
        await using var builder = await AppModel.BuildAsync();
        var settings = LeanRuntimeExtensions.ReadRuntimeSettings(Path.Combine(builder.AppHostDirectory, LeanRuntimeExtensions.RuntimeSettingsFile));

        Assert.That(settings.Select(setting => setting.Key), Does.Contain("DOTNET_EnableWriteXorExecute").And.Contain("DOTNET_GCgen0size"));
        foreach (var name in DotNetProcesses)
        {
            var environment = await builder.Resource<ProjectResource>(name).ManifestEnvironmentAsync();
            Assert.Multiple(() =>
            {
                foreach (var (variable, value) in settings)
                {
                    Assert.That(environment, Does.ContainKey(variable).WithValue(value), $"{name} lacks {variable}");
                }
                Assert.That(environment, Does.ContainKey("OTEL_METRIC_EXPORT_INTERVAL").WithValue("10000"), name);
            });
        }
    }

    [Test]
    public async Task WithoutTheDashboardNoServiceExportsTelemetryToIt()
    {
        await using var withDashboard = await AppModel.BuildAsync("--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:18889");
        await using var without = await AppModel.BuildAsync("--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:18889", "--WebIde:Dashboard=false");

        foreach (var name in DotNetProcesses)
        {
            Assert.That(await withDashboard.Resource<ProjectResource>(name).RunEnvironmentAsync(), Does.ContainKey("OTEL_EXPORTER_OTLP_ENDPOINT"), name);
            Assert.That(await without.Resource<ProjectResource>(name).RunEnvironmentAsync(), Does.Not.ContainKey("OTEL_EXPORTER_OTLP_ENDPOINT"), name);
        }
    }

    [Test]
    public void ALineThatIsNotNameEqualsValueIsRefusedWithTheFileAndLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# a comment", "", "DOTNET_GCgen0size=0x400000", "DOTNET_TieredPGO 0"]);

            var error = Assert.Throws<FormatException>(() => LeanRuntimeExtensions.ReadRuntimeSettings(file));

            Assert.That(error!.Message, Does.Contain(file).And.Contain("DOTNET_TieredPGO 0"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void CommentsAndBlankLinesAreSkippedAndValuesKeepTheirEqualsSigns()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# DOTNET_X=1", "  ", "A=b=c"]);

            Assert.That(LeanRuntimeExtensions.ReadRuntimeSettings(file), Is.EqualTo(new[] { KeyValuePair.Create("A", "b=c") }));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
