using System.Text;
using Microsoft.Extensions.Options;
using NSubstitute;
using WebIde.Contracts.FileSystem.V1;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Runs;

public sealed class RunPlannerTests
{
    /// <summary>Half the default sandbox's 64 MiB scratch disk.</summary>
    private const long HalfTheScratchDisk = 32L << 20;

    private static readonly RunCaller Alice = new("user-alice", "token-alice");

    private Files.FilesClient _files = null!;
    private RunPlanner _planner = null!;

    [SetUp]
    public void CreatePlanner()
    {
        // Inline runs never read a workspace; any call to the filesystem service is a failure.
        _files = Substitute.For<Files.FilesClient>();
        _planner = new RunPlanner(new LanguageCatalog(), new WorkspaceSource(_files), Options.Create(new RunsOptions()), Options.Create(new SandboxOptions()));
    }

    [TearDown]
    public void TheFilesystemWasNotAsked() => Assert.That(_files.ReceivedCalls(), Is.Empty);

    [Test]
    public async Task AnInlineRunIsPlannedWithEverythingItAskedFor()
    {
        var plan = await PlanAsync(Submission(entry: "src/app.py", files: [File("src/app.py", "print(1)"), File("src/lib.py")]) with
        {
            Args = ["a", "b"],
            Stdin = "input"u8.ToArray(),
        }, interactive: true);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan.Language.Name, Is.EqualTo("python"));
            Assert.That(plan.Project.Entry, Is.EqualTo("src/app.py"));
            Assert.That(plan.Project.Files.Select(file => file.Path), Is.EqualTo(new[] { "src/app.py", "src/lib.py" }));
            Assert.That(plan.Project.Args, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(plan.Stdin.ToArray(), Is.EqualTo("input"u8.ToArray()));
            Assert.That(plan.Interactive, Is.True);
            Assert.That(plan.Owner, Is.EqualTo(new RunOwner("user-alice", null, "test")));
        }
    }

    [Test]
    public async Task AJavaEntryWhosePublicClassHasAnotherNameIsPlannedUnderThatName()
    {
        const string hello = "public class HelloWorld {\n    public static void main(String[] args) {\n        System.out.println(\"hi\");\n    }\n}\n";

        var plan = await PlanAsync(Submission(entry: "src/Main.java", files: [File("src/Main.java", hello), File("src/Util.java", "class Util {}")]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(plan.Project.Entry, Is.EqualTo("src/HelloWorld.java"));
            Assert.That(plan.Project.Files.Select(file => file.Path), Is.EqualTo(new[] { "src/HelloWorld.java", "src/Util.java" }));
            Assert.That(Encoding.UTF8.GetString(plan.Project.Files[0].Content.Span), Is.EqualTo(hello));
            Assert.That(plan.Language.RunCommand(plan.Project)[^1], Is.EqualTo("HelloWorld"));
        }
    }

    [TestCase(null, null, null)]
    [TestCase(0L, 0L, 0L)]
    public async Task MissingOrZeroLimitsAreTheContractsDefaults(long? timeoutMs, long? memoryMb, long? maxOutputBytes)
    {
        var plan = await PlanAsync(Submission() with { TimeoutMs = timeoutMs, MemoryMb = memoryMb, MaxOutputBytes = maxOutputBytes });

        Assert.That(plan.Limits, Is.EqualTo(new RunLimits(TimeSpan.FromSeconds(10), 256L << 20, 1L << 20)));
    }

    [Test]
    public async Task TheMaximaThemselvesAreAllowed()
    {
        var plan = await PlanAsync(Submission() with { TimeoutMs = 60_000, MemoryMb = 1024, MaxOutputBytes = 8L << 20 });

        Assert.That(plan.Limits, Is.EqualTo(new RunLimits(TimeSpan.FromSeconds(60), 1L << 30, 8L << 20)));
    }

    [Test]
    public async Task TheSmallestLimitsAreAllowed()
    {
        var plan = await PlanAsync(Submission() with { TimeoutMs = 1, MemoryMb = 32, MaxOutputBytes = 1 });

        Assert.That(plan.Limits, Is.EqualTo(new RunLimits(TimeSpan.FromMilliseconds(1), 32L << 20, 1)));
    }

    [TestCase(60_001L, null, null)]
    [TestCase(-1L, null, null)]
    [TestCase(long.MaxValue, null, null)]
    [TestCase(long.MinValue, null, null)]
    [TestCase(null, 31L, null)]
    [TestCase(null, 1025L, null)]
    [TestCase(null, -256L, null)]
    [TestCase(null, long.MaxValue, null)]
    [TestCase(null, null, (8L << 20) + 1)]
    [TestCase(null, null, -1L)]
    [TestCase(null, null, long.MinValue)]
    public void ALimitOutsideItsRangeIsInvalid(long? timeoutMs, long? memoryMb, long? maxOutputBytes)
    {
        var refused = Refused(Submission() with { TimeoutMs = timeoutMs, MemoryMb = memoryMb, MaxOutputBytes = maxOutputBytes });

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.Invalid));
            Assert.That(refused.Message, Does.StartWith("limits."));
        }
    }

    [TestCase("main.py", "python")]
    [TestCase("index.mjs", "javascript")]
    [TestCase("src/main.ts", "typescript")]
    [TestCase("Main.java", "java")]
    [TestCase("main.cc", "cpp")]
    [TestCase("run.bash", "bash")]
    public async Task WithoutALanguageTheEntrysExtensionDecides(string entry, string language)
    {
        var plan = await PlanAsync(Submission(entry: entry, files: [File(entry)]));

        Assert.That(plan.Language.Name, Is.EqualTo(language));
    }

    [Test]
    public async Task AGivenLanguageWinsOverTheExtension()
    {
        var plan = await PlanAsync(Submission(entry: "script.txt", files: [File("script.txt", "echo hi")], language: "bash"));

        Assert.That(plan.Language.Name, Is.EqualTo("bash"));
    }

    [Test]
    public void AnUnknownLanguageIsInvalidAndTheKnownOnesAreNamed()
    {
        var refused = Refused(Submission(language: "cobol"));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.Invalid));
            Assert.That(refused.Message, Does.Contain("cobol").And.Contain("python").And.Contain("rust"));
        }
    }

    [Test]
    public void AnEntryOfNoKnownLanguageIsInvalidWithoutALanguage() =>
        Assert.That(Refused(Submission(entry: "notes.txt", files: [File("notes.txt")])).Problem, Is.EqualTo(RunRequestProblem.Invalid));

    [TestCase(null)]
    [TestCase("")]
    public void NoEntryIsInvalid(string? entry) =>
        Assert.That(Refused(Submission(entry: entry, language: "python")).Problem, Is.EqualTo(RunRequestProblem.Invalid));

    [Test]
    public void AnEntryThatIsNotAmongTheFilesIsInvalid()
    {
        var refused = Refused(Submission(entry: "missing.py", files: [File("main.py")]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.Invalid));
            Assert.That(refused.Message, Does.Contain("missing.py"));
        }
    }

    [TestCase("/main.py")]
    [TestCase("../main.py")]
    [TestCase("src/../../main.py")]
    [TestCase("src\\main.py")]
    [TestCase("ma\u0001in.py")]
    [TestCase(".webide/build/main.py")]
    public void ABadEntryPathIsInvalid(string entry) =>
        Assert.That(Refused(Submission(entry: entry, files: [File("main.py")])).Problem, Is.EqualTo(RunRequestProblem.Invalid));

    [TestCase("/etc/passwd")]
    [TestCase("../escape.py")]
    [TestCase("a/../../escape.py")]
    [TestCase("src\\util.py")]
    [TestCase("bad\nname.py")]
    [TestCase("src//util.py")]
    [TestCase(".webide/build/main")]
    [TestCase(".webide")]
    [TestCase("")]
    public void ABadFilePathIsInvalid(string path)
    {
        var refused = Refused(Submission(files: [File("main.py"), File(path)]));

        Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.Invalid));
    }

    [Test]
    public void AFileGivenTwiceIsInvalid()
    {
        var refused = Refused(Submission(files: [File("main.py"), File("util.py", "a"), File("util.py", "b")]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.Invalid));
            Assert.That(refused.Message, Does.Contain("util.py"));
        }
    }

    [TestCase("lib", "lib/util.py")]
    [TestCase("lib/util.py/x.py", "lib/util.py")]
    [TestCase("a/b/c/d.py", "a/b")]
    public void APathThatIsBothAFileAndADirectoryIsInvalid(string first, string second)
    {
        var refused = Refused(Submission(files: [File("main.py"), File(first), File(second)]));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.Invalid));
            Assert.That(refused.Message, Does.Contain("both a file and a directory"));
        }
    }

    [Test]
    public async Task PathsThatOnlyShareAPrefixDoNotClash()
    {
        var plan = await PlanAsync(Submission(files: [File("main.py"), File("lib"), File("library/x.py"), File("lib.py"), File("main.py2/x")]));

        Assert.That(plan.Project.Files, Has.Count.EqualTo(5));
    }

    [Test]
    public async Task AProjectOfHalfTheScratchDiskIsAccepted()
    {
        var plan = await PlanAsync(Submission(files: [File("main.py"), Sized("data.bin", HalfTheScratchDisk - FileCosts("main.py", "data.bin"))]));

        Assert.That(plan.Project.Files, Has.Count.EqualTo(2));
    }

    [Test]
    public void AProjectOverHalfTheScratchDiskIsTooLarge()
    {
        var refused = Refused(Submission(files: [File("main.py"), Sized("data.bin", HalfTheScratchDisk - FileCosts("main.py", "data.bin") + 1)]));

        Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.TooLarge));
        Assert.That(refused.Message, Does.Contain($"{HalfTheScratchDisk} bytes"));
    }

    [Test]
    public void ManySmallFilesCountWhatEachFileCostsBesideItsBytes()
    {
        // A 32 MiB sandbox takes 4 MiB of project: empty files with 200-byte names, one more
        // than fit when each also costs PerFileBytes, are fewer than 4 MiB of names alone.
        const int pathBytes = 200;
        const long budget = 4L << 20;
        var count = (int)(budget / (pathBytes + ProjectSize.PerFileBytes)) + 1;
        Assert.That((long)count * pathBytes, Is.LessThan(budget), "the names alone fit");
        var files = Enumerable.Range(0, count)
            .Select(index => File(index.ToString("D7", System.Globalization.CultureInfo.InvariantCulture).PadLeft(pathBytes, 'x')))
            .Append(File("main.py"))
            .ToList();

        var refused = Refused(Submission(files: files) with { MemoryMb = 32 });

        Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.TooLarge));
    }

    [Test]
    public void AProjectOverHalfTheScratchDiskOfASmallSandboxIsTooLarge()
    {
        // A 32 MiB sandbox's scratch tmpfs is a quarter of its memory, 8 MiB: 5 MiB of files do not fit beside a build.
        var refused = Refused(Submission(files: [File("main.py"), Sized("data.bin", 5L << 20)]) with { MemoryMb = 32 });

        Assert.That(refused.Problem, Is.EqualTo(RunRequestProblem.TooLarge));
    }

    [Test]
    public async Task StdinOfEightMebibytesIsAccepted()
    {
        var plan = await PlanAsync(Submission() with { Stdin = new byte[8 << 20] });

        Assert.That(plan.Stdin.Length, Is.EqualTo(8 << 20));
    }

    [Test]
    public void StdinOverEightMebibytesIsTooLarge() =>
        Assert.That(Refused(Submission() with { Stdin = new byte[(8 << 20) + 1] }).Problem, Is.EqualTo(RunRequestProblem.TooLarge));

    [Test]
    public void BothFilesAndAWorkspaceIsInvalid() =>
        Assert.That(Refused(Submission() with { WorkspaceId = Guid.NewGuid() }).Problem, Is.EqualTo(RunRequestProblem.Invalid));

    [Test]
    public void NeitherFilesNorAWorkspaceIsInvalid() =>
        Assert.That(Refused(Submission() with { Files = null }).Problem, Is.EqualTo(RunRequestProblem.Invalid));

    [Test]
    public void TooManyArgumentsAreInvalid() =>
        Assert.That(Refused(Submission() with { Args = [.. Enumerable.Repeat("x", RunPlanner.MaxArgs + 1)] }).Problem, Is.EqualTo(RunRequestProblem.Invalid));

    [Test]
    public void AnOverlongArgumentIsInvalid() =>
        Assert.That(Refused(Submission() with { Args = [new string('x', RunPlanner.MaxArgLength + 1)] }).Problem, Is.EqualTo(RunRequestProblem.Invalid));

    [Test]
    public void AnArgumentWithNulIsInvalid() =>
        Assert.That(Refused(Submission() with { Args = ["a\0b"] }).Problem, Is.EqualTo(RunRequestProblem.Invalid));

    [Test]
    public async Task TheMostArgumentsOfTheLongestLengthAreAccepted()
    {
        var plan = await PlanAsync(Submission() with { Args = [.. Enumerable.Repeat(new string('x', RunPlanner.MaxArgLength), RunPlanner.MaxArgs)] });

        Assert.That(plan.Project.Args, Has.Count.EqualTo(RunPlanner.MaxArgs));
    }

    private async Task<RunPlan> PlanAsync(RunSubmission submission, bool interactive = false) =>
        await _planner.PlanAsync(_planner.Validate(submission, Alice, interactive, "test"), CancellationToken.None);

    private RunRequestException Refused(RunSubmission submission) =>
        Assert.ThrowsAsync<RunRequestException>(() => PlanAsync(submission))!;

    private static RunSubmission Submission(string? entry = "main.py", IReadOnlyList<SourceFile>? files = null, string? language = null) =>
        new(language, files ?? [File("main.py", "print('hi')")], null, entry, ReadOnlyMemory<byte>.Empty, [], null, null, null);

    private static SourceFile File(string path, string content = "") => new(path, Encoding.UTF8.GetBytes(content));

    private static SourceFile Sized(string path, long bytes) => new(path, new byte[bytes]);
    /// <summary>What files of these names cost beside their contents.</summary>
    private static long FileCosts(params string[] paths) => paths.Sum(path => path.Length + ProjectSize.PerFileBytes);
}
