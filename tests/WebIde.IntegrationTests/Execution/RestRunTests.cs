using System.Net;
using System.Text.Json;
using WebIde.IntegrationTests.Files;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// <c>POST /api/workspaces/{id}/runs</c> through the gateway: every language of docs/api.md §5 runs a
/// two-file project from the workspace with its arguments and stdin.
/// </summary>
public sealed class RestRunTests
{
    private static IEnumerable<LanguageProgram> Programs => LanguagePrograms.All;

    [TestCaseSource(nameof(Programs))]
    public async Task AMultiFileProjectRunsWithArgsAndStdinAndTheLanguageFromTheEntrysExtension(LanguageProgram program)
    {
        var workspace = await ExecWorkspace.AllLanguagesAsync();

        var run = await workspace.RunAsync(new { entry = program.EntryInFolder, stdin = LanguagePrograms.Stdin, args = LanguagePrograms.Args });

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo("ok"), run.ToString());
            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Stdout, Is.EqualTo(program.ExpectedStdout), run.ToString());
            Assert.That(run.Stderr, Is.Empty, run.ToString());
            Assert.That(Guid.TryParse(run.Body.GetProperty("runId").GetString(), out _), Is.True, run.ToString());
            Assert.That(run.Body.GetProperty("wallTimeMs").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(run.Body.GetProperty("cpuTimeMs").GetInt64(), Is.GreaterThanOrEqualTo(0));
            Assert.That(run.Body.GetProperty("peakMemoryBytes").GetInt64(), Is.GreaterThan(0), "a process that ran used some memory");
            Assert.That(run.Body.GetProperty("outputTruncated").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task AnExplicitLanguageRunsTheEntryWhateverItsName()
    {
        var workspace = await ExecWorkspace.AllLanguagesAsync();
        // A script without an extension: only the language given says how to run it.
        await workspace.WriteAsync("bin/greet", "echo \"explicit $1\"\n");

        var named = await workspace.RunAsync(new { entry = "python/main.py", language = "python", stdin = LanguagePrograms.Stdin, args = LanguagePrograms.Args });
        var bare = await workspace.RunAsync(new { entry = "bin/greet", language = "bash", args = new[] { "bash" } });
        using var guessed = await workspace.PostRunAsync(new { entry = "bin/greet" });

        Assert.Multiple(() =>
        {
            Assert.That((named.Status, named.Stdout), Is.EqualTo(("ok", LanguagePrograms.Of("python").ExpectedStdout)), named.ToString());
            Assert.That((bare.Status, bare.Stdout), Is.EqualTo(("ok", "explicit bash\n")), bare.ToString());
        });
        await Problems.AssertAsync(guessed, HttpStatusCode.BadRequest, "no language and no extension to take one from");
    }

    [Test]
    public async Task AViewerMayRunTheWorkspace()
    {
        var workspace = await ExecWorkspace.AllLanguagesAsync();
        var viewer = await workspace.Files.AddMemberAsync("viewer");

        var run = await workspace.RunAsync(new { entry = "bash/main.sh", stdin = LanguagePrograms.Stdin, args = LanguagePrograms.Args }, viewer);

        Assert.That((run.Status, run.Stdout), Is.EqualTo(("ok", LanguagePrograms.Of("bash").ExpectedStdout)), run.ToString());
    }

    [Test]
    public async Task ARunSeesTheWorkspaceAsItIsNow()
    {
        using var workspace = await ExecWorkspace.CreateAsync("exec-fresh");
        await workspace.WriteAsync("now.py", "print('first')\n");
        var first = await workspace.RunAsync(new { entry = "now.py" });
        await workspace.WriteAsync("now.py", "print('second')\n");
        var second = await workspace.RunAsync(new { entry = "now.py" });

        Assert.That((first.Stdout, second.Stdout), Is.EqualTo(("first\n", "second\n")));
    }
}
