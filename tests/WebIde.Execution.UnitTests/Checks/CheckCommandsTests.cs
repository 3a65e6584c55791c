using WebIde.Execution.Checks;
using WebIde.Execution.Languages;
using WebIde.Execution.UnitTests.Languages;

namespace WebIde.Execution.UnitTests.Checks;

public sealed class CheckCommandsTests
{
    private static readonly LanguageCatalog Catalog = new();

    [Test]
    public void PythonCompilesTheFileIsolatedFromTheProjectsModules()
    {
        var argv = For("python", "src/main.py", ["src/main.py", "src/json.py"]).Argv;

        Assert.That(argv.Take(3), Is.EqualTo(new[] { "python3", "-I", "-c" }));
        Assert.That(argv[3], Does.Contain("compile(").And.Contain("tokenize.open"));
        Assert.That(argv[4], Is.EqualTo("src/main.py"));
    }

    [Test]
    public void JavaScriptIsNodeCheck() =>
        Assert.That(For("javascript", "a.js", ["a.js"]).Argv, Is.EqualTo(new[] { "node", "--check", "a.js" }));

    [Test]
    public void TypeScriptChecksWithoutEmittingWithNodesTypes()
    {
        var argv = For("typescript", "src/main.ts", ["src/main.ts", "tsconfig.json"]).Argv;

        Assert.That(argv[0], Is.EqualTo("tsc"));
        Assert.That(argv, Does.Contain("--noEmit").And.Contain("/usr/share/nodejs/@types").And.Contain("es2020").And.Contain("commonjs"));
        Assert.That(argv[^1], Is.EqualTo("src/main.ts"));
    }

    [Test]
    public void CAndCppOnlyParseAndFindTheProjectsHeaders()
    {
        string[] project = ["main.c", "src/x.c", "include/a.h", "lib/b.hpp", "c.h", "include/d.h"];

        Assert.That(For("c", "src/x.c", project).Argv, Is.EqualTo(new[]
        {
            "gcc", "-fsyntax-only", "-Wall", "-Wextra", "-fdiagnostics-format=json", "-iquote", ".", "-iquote", "include", "-iquote", "lib", "src/x.c",
        }));
        Assert.That(For("cpp", "main.cpp", ["main.cpp"]).Argv, Is.EqualTo(new[] { "g++", "-fsyntax-only", "-Wall", "-Wextra", "-fdiagnostics-format=json", "main.cpp" }));
    }

    [Test]
    public void JavaCompilesEveryJavaFileOfTheProjectIntoTheCheckDirectory()
    {
        var argv = For("java", "src/b/B.java", ["src/b/B.java", "README.md", "src/a/A.java"]).Argv;

        Assert.That(argv[0], Is.EqualTo("javac"));
        Assert.That(argv.SkipWhile(argument => argument != "-d").ElementAt(1), Does.StartWith("/sandbox/.check/"));
        Assert.That(argv.TakeLast(2), Is.EqualTo(new[] { "src/a/A.java", "src/b/B.java" }));
        Assert.That(argv, Does.Not.Contain("README.md"));
    }

    [Test]
    public void GoBuildsThenVetsTheGoFilesOfTheFilesFolder()
    {
        var gopath = For("go", "cmd/tool/main.go", ["cmd/tool/main.go", "main.go"]).Argv;
        var module = For("go", "svc/internal/x/x.go", ["go.mod", "svc/go.mod", "svc/internal/x/x.go"]).Argv;
        var root = For("go", "main.go", ["main.go"]).Argv;

        Assert.That(gopath.Take(2), Is.EqualTo(new[] { "bash", "-c" }));
        Assert.That(gopath[2], Does.Contain("go build").And.Contain("go vet -json").And.Contain("GOTMPDIR=/sandbox/.tmp"));
        Assert.That(gopath.Skip(3), Is.EqualTo(new[] { "go-check", ".", "off", "cmd/tool/main.go" }));
        Assert.That(module.Skip(3), Is.EqualTo(new[] { "go-check", "svc", "on", "internal/x/x.go" }), "the nearest go.mod wins; files relative to it");
        Assert.That(root.Skip(3), Is.EqualTo(new[] { "go-check", ".", "off", "main.go" }));
    }

    [Test]
    public void GoChecksTheFoldersGoFilesAndTestsAsTheRunBuildsThem()
    {
        // The run's rule (GoPackageFiles): the folder's own .go files, so C files beside them do not fail the build.
        string[] project = ["src/main.go", "src/native.c", "src/util.go", "src/main_test.go", "src/sub/x.go", "main.go", "src/_draft.go"];

        Assert.That(For("go", "src/util.go", project).Argv.Skip(3), Is.EqualTo(new[] { "go-check", ".", "off", "src/main.go", "src/main_test.go", "src/util.go" }),
            "with the folder's tests, which go vet checks and go build leaves out");
        Assert.That(For("go", "-x.go", ["-x.go", "y.go"]).Argv.Skip(3), Is.EqualTo(new[] { "go-check", ".", "off", "./-x.go", "y.go" }));
    }

    [Test]
    public void RustChecksTheCrateTheFileBelongsTo()
    {
        string[] project = ["src/main.rs", "src/lib.rs", "src/net/tcp.rs", "src/bin/tool.rs", "scratch.rs"];
        var argv = For("rust", "src/net/tcp.rs", project).Argv;

        Assert.That(argv[0], Is.EqualTo("rustc"));
        Assert.That(argv, Does.Contain("--error-format=json").And.Contain("--emit=metadata"));
        Assert.That(argv.SkipWhile(argument => argument != "--out-dir").ElementAt(1), Does.StartWith("/sandbox/.check/"));
        Assert.That((argv[^1], CrateType(argv)), Is.EqualTo(("src/lib.rs", "lib")));
        Assert.That(Root("src/main.rs"), Is.EqualTo(("src/main.rs", "bin")));
        Assert.That(Root("src/bin/tool.rs"), Is.EqualTo(("src/bin/tool.rs", "bin")));
        Assert.That(Root("scratch.rs"), Is.EqualTo(("scratch.rs", "bin")));

        (string, string) Root(string path) => For("rust", path, project).Argv is var command ? (command[^1], CrateType(command)) : default;
        static string CrateType(IReadOnlyList<string> command) => command.SkipWhile(argument => argument != "--crate-type").ElementAt(1);
    }

    [Test]
    public void BashOnlyReadsTheScript() =>
        Assert.That(For("bash", "run.sh", ["run.sh"]).Argv, Is.EqualTo(new[] { "bash", "-n", "run.sh" }));

    [Test]
    public void EveryLanguageHasItsOwnChecker() =>
        Assert.That(Catalog.All.Select(language => CheckCommands.For(language, "f", ["f"]).Argv[0]),
            Is.EqualTo(new[] { "python3", "node", "tsc", "gcc", "g++", "javac", "bash", "rustc", "bash" }));

    [Test]
    public void APathThatLooksLikeAnOptionIsNotOne()
    {
        Assert.That(For("bash", "-x.sh", ["-x.sh"]).Argv[^1], Is.EqualTo("./-x.sh"));
        Assert.That(For("bash", "-x.sh", ["-x.sh"]).Parse("./-x.sh: line 1: bad\n", "echo\n"),
            Has.Count.EqualTo(1), "the file is still recognised in the output");
    }

    [TestCase("/etc/passwd")]
    [TestCase("../x.py")]
    [TestCase("a/../../x.py")]
    [TestCase("")]
    public void APathOutsideTheProjectIsRefused(string path) =>
        Assert.That(() => For("python", path, [path]), Throws.ArgumentException);

    [Test]
    public void ALanguageWithoutACheckerIsRefused() =>
        Assert.That(() => CheckCommands.For(new StubLanguage("stub", ".x"), "a.x", ["a.x"]), Throws.ArgumentException.With.Message.Contains("no checker"));

    private static CheckCommand For(string language, string path, IReadOnlyList<string> projectPaths) =>
        CheckCommands.For(Catalog.Find(language) ?? throw new AssertionException($"no {language}"), path, projectPaths);
}
