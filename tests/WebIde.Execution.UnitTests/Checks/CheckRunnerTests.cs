using System.Diagnostics.Metrics;
using System.Text;
using Docker.DotNet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NSubstitute;
using WebIde.Contracts.FileSystem.V1;
using WebIde.Execution.Checks;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;
using WebIde.Execution.UnitTests.Runs;

namespace WebIde.Execution.UnitTests.Checks;

/// <summary>What a check gives its sandbox, and how the checker's output comes back as the checked file's diagnostics.</summary>
public sealed class CheckRunnerTests
{
    private static readonly RunCaller Alice = new("user-alice", "token-alice");

    private ServiceProvider _services = null!;
    private SandboxMetrics _metrics = null!;
    private FakeSandboxes _sandbox = null!;
    private CheckRunner _checks = null!;

    [SetUp]
    public void CreateCheckRunner()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _metrics = new SandboxMetrics(_services.GetRequiredService<IMeterFactory>());
        _sandbox = new FakeSandboxes();
        var runs = Options.Create(new RunsOptions());
        var sandbox = Options.Create(new SandboxOptions());
        var runner = new Runner(_sandbox, new LanguageVersions(Substitute.For<IDockerClient>(), sandbox), _metrics, runs, sandbox, NullLogger<Runner>.Instance);
        var planner = new RunPlanner(new LanguageCatalog(), new WorkspaceSource(Substitute.For<Files.FilesClient>()), runs, sandbox);
        _checks = new CheckRunner(planner, new RunAdmission(runs), runner, runs);
    }

    [TearDown]
    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        _metrics.Dispose();
        _services.Dispose();
    }

    [Test]
    public async Task AJavaFileWhosePublicClassHasAnotherNameIsCheckedUnderThatNameAsARunCompilesIt()
    {
        const string source = "public class HelloWorld {\n    public static void main(String[] args) {\n        int x = 1\n    }\n}\n";
        // javac's output for this project as placed: the file named after its class, without the file-name error.
        _sandbox.Report(new SandboxStepExited(new SandboxStepResult("check", 1, 0, 0, 0, TimedOut: false, OutputLimited: false, OomKilled: false, Killed: false,
            Output: "src/HelloWorld.java:3: error: ';' expected\n        int x = 1\n                 ^\n1 error\n")));

        var diagnostics = await _checks.CheckAsync(
            new CheckInput(null, [File("src/Main.java", source), File("src/Util.java", "class Util {}")], null, "src/Main.java"), Alice, CancellationToken.None);

        var request = _sandbox.Request!;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Files.Select(file => file.Path), Is.EqualTo(new[] { "src/HelloWorld.java", "src/Util.java" }));
            Assert.That(request.Steps.Single().Argv[0], Is.EqualTo("javac"));
            Assert.That(request.Steps.Single().Argv.TakeLast(2), Is.EqualTo(new[] { "src/HelloWorld.java", "src/Util.java" }));
            Assert.That(diagnostics, Is.EqualTo(new[] { new Diagnostic(3, 18, 3, 18, DiagnosticSeverity.Error, "';' expected") }));
        }
    }

    [Test]
    public async Task AJavaFileWithoutAPublicClassOfAnotherNameIsCheckedWhereItIs()
    {
        _sandbox.Report(new SandboxStepExited(new SandboxStepResult("check", 0, 0, 0, 0, TimedOut: false, OutputLimited: false, OomKilled: false, Killed: false, Output: "")));

        var diagnostics = await _checks.CheckAsync(
            new CheckInput(null, [File("src/Main.java", "class HelloWorld {}"), File("src/Util.java", "class Util {}")], null, "src/Main.java"), Alice, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_sandbox.Request!.Files.Select(file => file.Path), Is.EqualTo(new[] { "src/Main.java", "src/Util.java" }));
            Assert.That(diagnostics, Is.Empty);
        }
    }

    private static SourceFile File(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));
}
