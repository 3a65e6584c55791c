using System.Text;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;

namespace WebIde.Execution.UnitTests.Languages;

public sealed class LanguageCatalogTests
{
    private const string Binary = "/sandbox/.webide/build/main";

    private readonly LanguageCatalog _catalog = new();

    [Test]
    public void HasTheNineContractLanguages() =>
        Assert.That(_catalog.Names, Is.EquivalentTo(new[] { "python", "javascript", "typescript", "c", "cpp", "java", "go", "rust", "bash" }));

    [Test]
    public void FindsByExactName()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_catalog.Find("rust")?.Name, Is.EqualTo("rust"));
            Assert.That(_catalog.Find("Python"), Is.Null);
            Assert.That(_catalog.Find("cobol"), Is.Null);
        }
    }

    [TestCase("main.py", "python")]
    [TestCase("src/app.js", "javascript")]
    [TestCase("app.mjs", "javascript")]
    [TestCase("app.cjs", "javascript")]
    [TestCase("src/main.ts", "typescript")]
    [TestCase("main.c", "c")]
    [TestCase("main.cpp", "cpp")]
    [TestCase("main.cc", "cpp")]
    [TestCase("main.cxx", "cpp")]
    [TestCase("Main.java", "java")]
    [TestCase("cmd/app/main.go", "go")]
    [TestCase("main.rs", "rust")]
    [TestCase("run.sh", "bash")]
    [TestCase("run.bash", "bash")]
    [TestCase("MAIN.PY", "python")]
    public void TakesTheLanguageFromTheExtension(string path, string language) =>
        Assert.That(_catalog.ForPath(path)?.Name, Is.EqualTo(language));

    [TestCase("README.md")]
    [TestCase("Makefile")]
    [TestCase("main.pyc")]
    [TestCase("util.h")]
    [TestCase("py")]
    public void KnowsNoLanguageForOtherFiles(string path) =>
        Assert.That(_catalog.ForPath(path), Is.Null);

    [TestCase("python", false)]
    [TestCase("javascript", false)]
    [TestCase("bash", false)]
    [TestCase("typescript", true)]
    [TestCase("c", true)]
    [TestCase("cpp", true)]
    [TestCase("java", true)]
    [TestCase("go", true)]
    [TestCase("rust", true)]
    public void KnowsWhichLanguagesHaveACompileStep(string language, bool compiled) =>
        Assert.That(Language(language).Compiled, Is.EqualTo(compiled));

    [TestCase("python", "python3", "src/app.py")]
    [TestCase("javascript", "node", "src/app.js")]
    [TestCase("bash", "bash", "run.sh")]
    public void AnInterpretedLanguageRunsTheEntryWithTheArguments(string language, string interpreter, string entry)
    {
        var project = Project(entry, [entry, "other" + Path.GetExtension(entry)], "one", "two words");
        var definition = Language(language);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(definition.CompileCommand(project), Is.Null);
            Assert.That(definition.RunCommand(project), Is.EqualTo(new[] { interpreter, entry, "one", "two words" }));
        }
    }

    [Test]
    public void TypeScriptCompilesTheEntryAndRunsTheEmittedJavaScript()
    {
        var project = Project("src/main.ts", ["src/main.ts", "src/util.ts"], "x");
        var typescript = Language("typescript");

        var compile = typescript.CompileCommand(project)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(compile[0], Is.EqualTo("tsc"));
            Assert.That(compile[^1], Is.EqualTo("src/main.ts"));
            Assert.That(After(compile, "--outDir"), Is.EqualTo(".webide/build"));
            // With the project root as root dir, src/main.ts is emitted as <outDir>/src/main.js.
            Assert.That(After(compile, "--rootDir"), Is.EqualTo("."));
            Assert.That(typescript.RunCommand(project), Is.EqualTo(new[] { "node", ".webide/build/src/main.js", "x" }));
        }
    }

    [Test]
    public void CCompilesEveryCFileIntoOneBinary()
    {
        var project = Project("main.c", ["main.c", "lib/util.c", "lib/util.h", "notes.txt", "other.cpp"], "arg");
        var c = Language("c");

        var compile = c.CompileCommand(project)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(compile[0], Is.EqualTo("gcc"));
            Assert.That(After(compile, "-o"), Is.EqualTo(Binary));
            Assert.That(compile, Does.Contain("main.c").And.Contain("lib/util.c"));
            Assert.That(compile, Does.Not.Contain("lib/util.h").And.Not.Contain("notes.txt").And.Not.Contain("other.cpp"));
            Assert.That(compile[^1], Is.EqualTo("-lm"), "the maths library is linked after the sources that need it");
            Assert.That(c.RunCommand(project), Is.EqualTo(new[] { Binary, "arg" }));
        }
    }

    [Test]
    public void CppCompilesEveryCppSourceWhateverItsExtension()
    {
        var project = Project("main.cpp", ["main.cpp", "a.cc", "b.cxx", "c.hpp", "d.c"]);
        var cpp = Language("cpp");

        var compile = cpp.CompileCommand(project)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(compile[0], Is.EqualTo("g++"));
            Assert.That(After(compile, "-o"), Is.EqualTo(Binary));
            Assert.That(compile, Does.Contain("main.cpp").And.Contain("a.cc").And.Contain("b.cxx"));
            Assert.That(compile, Does.Not.Contain("c.hpp").And.Not.Contain("d.c"));
            Assert.That(cpp.RunCommand(project), Is.EqualTo(new[] { Binary }));
        }
    }

    [Test]
    public void JavaCompilesEveryJavaFileAndStartsTheEntrysClassInItsPackage()
    {
        var project = new SourceProject(
            [
                File("src/a/b/Main.java", "package a.b;\n\npublic class Main { public static void main(String[] args) {} }\n"),
                File("src/a/b/Helper.java", "package a.b;\nclass Helper {}\n"),
                File("README.md", "# hi"),
            ],
            "src/a/b/Main.java",
            ["--flag"]);
        var java = Language("java");

        var compile = java.CompileCommand(project)!;
        var run = java.RunCommand(project);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(compile[0], Is.EqualTo("javac"));
            Assert.That(After(compile, "-d"), Is.EqualTo(".webide/build"));
            Assert.That(compile, Does.Contain("src/a/b/Main.java").And.Contain("src/a/b/Helper.java").And.Not.Contain("README.md"));
            Assert.That(run[0], Is.EqualTo("java"));
            Assert.That(After(run, "-cp"), Is.EqualTo(".webide/build"));
            Assert.That(run.TakeLast(2), Is.EqualTo(new[] { "a.b.Main", "--flag" }));
        }
    }

    [Test]
    public void GoBuildsOnlyTheEntryFoldersOwnGoFilesWithoutModules()
    {
        var go = Language("go");
        // Beside the program: C files (GOPATH mode refuses a package with .c files but no cgo), a test file, a
        // sub-folder's package, a file of the folder above, files go leaves out itself (_ and . prefixes).
        var nested = Project("cmd/app/main.go",
            ["cmd/app/util.go", "cmd/app/main.go", "cmd/app/native.c", "cmd/app/native.h", "cmd/app/main_test.go", "cmd/app/sub/x.go",
             "cmd/other.go", "cmd/app/_draft.go", "cmd/app/.hidden.go", "cmd/app/Upper.GO", "cmd/app/notes.md"],
            "x");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(go.CompileCommand(nested), Is.EqualTo(new[] { "go", "build", "-o", Binary, "cmd/app/main.go", "cmd/app/util.go" }));
            Assert.That(go.RunCommand(nested), Is.EqualTo(new[] { Binary, "x" }));
            Assert.That(go.ExtraEnvironment, Does.ContainKey("GO111MODULE").WithValue("off"));
        }
    }

    [Test]
    public void GoAtTheProjectRootBuildsTheRootsGoFilesOnly()
    {
        var atRoot = Project("main.go", ["main.go", "b.go", "hello.c", "main_test.go", "lib/lib.go", "c/main.c", "-dash.go"]);

        Assert.That(Language("go").CompileCommand(atRoot), Is.EqualTo(new[] { "go", "build", "-o", Binary, "./-dash.go", "b.go", "main.go" }),
            "in a stable (ordinal) order, a name starting with a dash not taken for an option");
    }

    [Test]
    public void RustCompilesTheEntryCrateRoot()
    {
        var rust = Language("rust");
        var project = Project("src/main.rs", ["src/main.rs", "src/util.rs"], "x");

        var compile = rust.CompileCommand(project)!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(compile[0], Is.EqualTo("rustc"));
            Assert.That(After(compile, "-o"), Is.EqualTo(Binary));
            // util.rs comes in through `mod util;`; naming it too would make it a second crate.
            Assert.That(compile[^1], Is.EqualTo("src/main.rs"));
            Assert.That(compile, Does.Not.Contain("src/util.rs"));
            Assert.That(rust.RunCommand(project), Is.EqualTo(new[] { Binary, "x" }));
        }
    }

    [Test]
    public void OnlyGoNeedsExtraEnvironment() =>
        Assert.That(_catalog.All.Where(language => language.ExtraEnvironment is not null).Select(language => language.Name), Is.EqualTo(new[] { "go" }));

    private LanguageDefinition Language(string name) => _catalog.Find(name) ?? throw new AssertionException($"no {name}");

    private static SourceProject Project(string entry, string[] paths, params string[] args) =>
        new([.. paths.Select(path => File(path, ""))], entry, args);

    private static SourceFile File(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));

    private static string After(IReadOnlyList<string> command, string option)
    {
        var index = command.ToList().IndexOf(option);
        Assert.That(index, Is.GreaterThanOrEqualTo(0), $"{option} is missing from {string.Join(' ', command)}");
        return command[index + 1];
    }
}
