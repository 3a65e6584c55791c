namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// A program that does not build or fails is the run's own outcome: a status inside a 200, with
/// the compiler's or the program's own words in stderr.
/// </summary>
public sealed class FailedRunTests
{
    private ExecWorkspace _workspace = null!;

    [OneTimeSetUp]
    public async Task WriteBrokenProgramsAsync()
    {
        // Each in a folder of its own: C and Java build every file of their kind in the project.
        _workspace = await ExecWorkspace.CreateAsync("exec-broken");
        foreach (var (path, source) in Broken)
        {
            await _workspace.WriteAsync(path, source);
        }
        await _workspace.WriteAsync("fails/exit3.py", """
            import sys

            print("before the failure")
            sys.stderr.write("giving up\n")
            sys.exit(3)

            """);
    }

    [OneTimeTearDown]
    public void Dispose() => _workspace.Dispose();

    private static readonly (string Path, string Source)[] Broken =
    [
        ("c/main.c", """
            int main(void)
            {
                return missing_value;
            }

            """),
        ("java/Main.java", """
            public class Main {
                public static void main(String[] args) {
                    int count = "three";
                    System.out.println(count);
                }
            }

            """),
        ("ts/main.ts", """
            const count: number = "three";
            console.log(count);

            """),
        ("rust/main.rs", """
            fn main() {
                let count: i32 = "three";
                println!("{}", count);
            }

            """),
    ];

    // gcc quotes names with typographic quotes under a UTF-8 locale.
    [TestCase("c/main.c", "missing_value’ undeclared", "main.c:3")]
    [TestCase("java/Main.java", "incompatible types: String cannot be converted to int", "Main.java:3")]
    [TestCase("ts/main.ts", "Type 'string' is not assignable to type 'number'", "main.ts(1,")]
    [TestCase("rust/main.rs", "mismatched types", "main.rs:2")]
    public async Task ACompileErrorIsReportedWithTheCompilersMessage(string entry, string message, string location)
    {
        var run = await _workspace.RunAsync(new { entry });

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo("compile_error"), run.ToString());
            Assert.That(run.Stdout, Is.Empty, run.ToString());
            Assert.That(run.Stderr, Does.Contain(message), run.ToString());
            Assert.That(run.Stderr, Does.Contain(location), "the message says where");
        });
    }

    [Test]
    public async Task ANonZeroExitIsARuntimeErrorWithItsCodeAndBothStreams()
    {
        var run = await _workspace.RunAsync(new { entry = "fails/exit3.py" });

        Assert.Multiple(() =>
        {
            Assert.That(run.Status, Is.EqualTo("runtime_error"), run.ToString());
            Assert.That(run.ExitCode, Is.EqualTo(3), run.ToString());
            Assert.That(run.Stdout, Is.EqualTo("before the failure\n"), run.ToString());
            Assert.That(run.Stderr, Is.EqualTo("giving up\n"), run.ToString());
        });
    }
}
