using System.Text.Json;
using WebIde.Execution.Languages;
using WebIde.Tests.Shared;

namespace WebIde.Execution.UnitTests.Languages;

/// <summary>
/// The npm servers the definitions start are those deploy/runner/language-servers installs into the runner image: each
/// command under <see cref="LanguageServer.NpmBin"/> names a bin of a package that package.json lists. The bins are read
/// from package-lock.json, as node_modules is not there to look at (build.sh installs it on the image's build host only).
/// </summary>
public sealed class NpmLanguageServersTests
{
    private const string Directory = "deploy/runner/language-servers";

    private static readonly LanguageCatalog Catalog = new();

    private static IEnumerable<TestCaseData> NpmServers =>
        Catalog.All.Where(language => language.LanguageServer?.Command[0].StartsWith(LanguageServer.NpmBin + "/", StringComparison.Ordinal) == true)
            .Select(language => new TestCaseData(language).SetArgDisplayNames(language.Name));

    [TestCaseSource(nameof(NpmServers))]
    public void TheServersCommandIsABinOfAListedPackage(LanguageDefinition language)
    {
        var bin = language.LanguageServer!.Command[0][(LanguageServer.NpmBin.Length + 1)..];
        using var lockFile = Read("package-lock.json");
        var packages = lockFile.RootElement.GetProperty("packages");

        var providers = Dependencies().Keys
            .Where(name => packages.TryGetProperty($"node_modules/{name}", out var package)
                && package.TryGetProperty("bin", out var bins) && bins.TryGetProperty(bin, out _))
            .ToList();

        Assert.That(providers, Is.Not.Empty, $"{language.Name}: no package of {Directory}/package.json has the bin '{bin}'");
    }

    [Test]
    public void SomeLanguagesStartAnNpmServer() =>
        Assert.That(NpmServers, Is.Not.Empty, "the definitions no longer name an npm server; is deploy/runner/language-servers still needed?");

    [Test]
    public void PackageJsonPinsExactVersionsAndTheLockFileHasThem()
    {
        using var lockFile = Read("package-lock.json");
        var packages = lockFile.RootElement.GetProperty("packages");
        var dependencies = Dependencies();

        using (Assert.EnterMultipleScope())
        {
            foreach (var (name, version) in dependencies)
            {
                Assert.That(version, Does.Match(@"^\d+\.\d+\.\d+$"), $"{name}: an exact version, so the image's tag says what it holds");
                Assert.That(packages.TryGetProperty($"node_modules/{name}", out var locked) ? locked.GetProperty("version").GetString() : null,
                    Is.EqualTo(version), $"{name}: package-lock.json is out of step with package.json; run npm install --package-lock-only in {Directory}");
            }
        }
    }

    private static Dictionary<string, string> Dependencies()
    {
        using var packageJson = Read("package.json");
        return packageJson.RootElement.GetProperty("dependencies").EnumerateObject()
            .ToDictionary(dependency => dependency.Name, dependency => dependency.Value.GetString()!, StringComparer.Ordinal);
    }

    private static JsonDocument Read(string name) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Checkout.Root, Directory, name)));
}
