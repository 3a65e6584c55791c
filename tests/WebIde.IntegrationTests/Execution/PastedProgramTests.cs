using WebIde.Contracts.Execution.V1;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// Programs as people paste them (issue 14, point 7), run with the real toolchains: a Go program in a folder that
/// also holds a C program, and Java whose public class is not named like its file (<c>public class HelloWorld</c>
/// in Main.java) or whose class with main is not public. Each test has a workspace of its own: C and Java runs
/// compile every file of their language in the workspace.
/// </summary>
public sealed class PastedProgramTests
{
    private const string HelloWorldJava = """
        public class HelloWorld {
            public static void main(String[] args) {
                System.out.println("Hello, World! " + String.join(",", args));
            }
        }

        """;

    private ExecGrpc _grpc = null!;

    [OneTimeSetUp]
    public void Connect() => _grpc = new ExecGrpc();

    [OneTimeTearDown]
    public void Disconnect() => _grpc.Dispose();

    [Test]
    public async Task AGoProgramBesideACProgramInOneFolderRunsAndSoDoesTheCProgram()
    {
        // `go build ./mixed` refused this folder: "C source files not allowed when not using cgo". The test file and
        // the sub-folder's package are not part of the program either; each would fail its build.
        using var workspace = await WorkspaceAsync(
            ("mixed/main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(greet(\"go\"))\n}\n"),
            ("mixed/greet.go", "package main\n\nfunc greet(who string) string { return \"hello from \" + who }\n"),
            ("mixed/main_test.go", "package main\n\nimport \"testing\"\n\nfunc TestGreet(t *testing.T) { undefinedInTests() }\n"),
            ("mixed/sub/broken.go", "package sub\n\nfunc Broken() int { return \"no\" }\n"),
            ("mixed/hello.c", "#include <stdio.h>\n\nint main(void)\n{\n    puts(\"hello from c\");\n    return 0;\n}\n"));

        var go = await workspace.RunAsync(new { entry = "mixed/main.go" });
        var c = await workspace.RunAsync(new { entry = "mixed/hello.c" });

        Assert.Multiple(() =>
        {
            Assert.That((go.Status, go.Stdout, go.Stderr), Is.EqualTo(("ok", "hello from go\n", "")), go.ToString());
            Assert.That((c.Status, c.Stdout), Is.EqualTo(("ok", "hello from c\n")), c.ToString());
        });
    }

    [Test]
    public async Task AGoProgramAtTheProjectRootBesideACFileRuns()
    {
        var request = new RunRequest
        {
            Language = "go",
            Entry = "main.go",
            Files = ExecGrpc.Inline(
                ("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"root go\") }\n"),
                ("native.c", "int main(void) { return 0; }\n"),
                ("lib/lib.go", "package lib\n\nfunc Broken() int { return \"no\" }\n")),
        };

        using var call = _grpc.Client.Run(request, ExecGrpc.As(await TokenAsync()));
        var run = await ExecGrpc.CollectAsync(call.ResponseStream);

        Assert.That((run.Exited?.Status, run.Stdout), Is.EqualTo(((RunStatus?)RunStatus.Ok, "root go\n")), run.ToString());
    }

    [Test]
    public async Task AGoFileBesideACFileIsChecked()
    {
        using var workspace = await WorkspaceAsync(
            ("mixed/main.go", "package main\n\nfunc main() {\n\tmissing()\n}\n"),
            ("mixed/hello.c", "int main(void) { return 0; }\n"));

        var diagnostics = await workspace.CheckAsync("mixed/main.go");

        Assert.That(diagnostics.Select(diagnostic => (diagnostic.GetProperty("line").GetInt32(), diagnostic.GetProperty("message").GetString())),
            Is.EqualTo(new[] { (4, "undefined: missing") }));
    }

    [Test]
    public async Task APublicClassNamedOtherThanItsFileRuns()
    {
        using var workspace = await WorkspaceAsync(("Main.java", HelloWorldJava));

        var run = await workspace.RunAsync(new { entry = "Main.java", args = new[] { "a", "b" } });

        Assert.That((run.Status, run.Stdout, run.Stderr), Is.EqualTo(("ok", "Hello, World! a,b\n", "")), run.ToString());
    }

    [Test]
    public async Task APublicClassNamedOtherThanItsFileRunsInItsPackageWithTheOtherFiles()
    {
        using var workspace = await WorkspaceAsync(
            ("app/Main.java", """
                package app;

                // Mentions that must not count: public class Decoy { public static void main(String[] a) {} }
                public class HelloWorld {
                    public static void main(String[] args) {
                        System.out.println(Greeter.greet("java") + " \"class Fake {\"");
                    }
                }

                """),
            ("app/Greeter.java", "package app;\n\nfinal class Greeter {\n    static String greet(String who) {\n        return \"hello from \" + who;\n    }\n}\n"));

        var run = await workspace.RunAsync(new { entry = "app/Main.java" });

        Assert.That((run.Status, run.Stdout), Is.EqualTo(("ok", "hello from java \"class Fake {\"\n")), run.ToString());
    }

    [Test]
    public async Task ANonPublicClassWithMainInMainJavaRuns()
    {
        using var workspace = await WorkspaceAsync(("Main.java", """
            class Foo {
                public static void main(String[] args) {
                    System.out.println("Foo runs");
                }
            }

            """));

        var run = await workspace.RunAsync(new { entry = "Main.java" });

        Assert.That((run.Status, run.Stdout), Is.EqualTo(("ok", "Foo runs\n")), run.ToString());
    }

    [Test]
    public async Task ThePastedJavaProgramRunsOverGrpcAsOverRest()
    {
        var request = new RunRequest { Language = "java", Entry = "Main.java", Files = ExecGrpc.Inline(("Main.java", HelloWorldJava)) };
        request.Args.Add("x");

        using var call = _grpc.Client.Run(request, ExecGrpc.As(await TokenAsync()));
        var run = await ExecGrpc.CollectAsync(call.ResponseStream);

        Assert.That((run.Exited?.Status, run.Stdout), Is.EqualTo(((RunStatus?)RunStatus.Ok, "Hello, World! x\n")), run.ToString());
    }

    [Test]
    public async Task ACheckOfSuchAJavaFileReportsItsOwnErrorsNotItsName()
    {
        using var clean = await WorkspaceAsync(("Main.java", HelloWorldJava));
        using var broken = await WorkspaceAsync(("Main.java", "public class HelloWorld {\n    public static void main(String[] args) {\n        int x = 1\n    }\n}\n"));

        var none = await clean.CheckAsync("Main.java");
        var one = await broken.CheckAsync("Main.java");

        Assert.Multiple(() =>
        {
            Assert.That(none, Is.Empty, string.Join("\n", none.Select(diagnostic => diagnostic.GetRawText())));
            Assert.That(one.Select(diagnostic => (diagnostic.GetProperty("line").GetInt32(), diagnostic.GetProperty("message").GetString())),
                Is.EqualTo(new[] { (3, "';' expected") }));
        });
    }

    private static async Task<ExecWorkspace> WorkspaceAsync(params (string Path, string Text)[] files)
    {
        var workspace = await ExecWorkspace.CreateAsync("exec-paste");
        foreach (var (path, text) in files)
        {
            await workspace.WriteAsync(path, text);
        }
        return workspace;
    }

    private static async Task<string> TokenAsync() => (await ExecWorkspace.AllLanguagesAsync()).AccessToken;
}
