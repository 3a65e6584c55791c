using System.Text.Json;
using WebIde.Contracts.Execution.V1;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// Editor diagnostics, <c>POST /api/workspaces/{id}/check</c> and gRPC <c>Check</c>: a syntax
/// error is reported at its line, a clean file (one that imports another) has none.
/// </summary>
public sealed class CheckTests
{
    private static readonly object[] SyntaxErrors =
    [
        new object[] { "broken/bad.py", """
            def ok():
                return 1


            def broken(:
                pass

            """, 5 },
        new object[] { "broken/bad.c", """
            #include <stdio.h>

            int main(void)
            {
                int x = 1 + ;
                printf("%d\n", x);
                return 0;
            }

            """, 5 },
        new object[] { "broken/bad.ts", """
            const a: number = 1;
            console.log(a);
            const b = (a + ;
            console.log(b);

            """, 3 },
    ];

    private static IEnumerable<LanguageProgram> CleanPrograms => new[] { "python", "c", "typescript" }.Select(LanguagePrograms.Of);

    // tsc takes seconds each time: REST already shows a clean TypeScript file that imports another.
    private static IEnumerable<LanguageProgram> CleanGrpcPrograms => new[] { "python", "c" }.Select(LanguagePrograms.Of);

    private ExecWorkspace _workspace = null!;
    private ExecGrpc _grpc = null!;

    [OneTimeSetUp]
    public async Task WriteFilesAsync()
    {
        _grpc = new ExecGrpc();
        _workspace = await ExecWorkspace.CreateAsync("exec-check");
        foreach (var (path, source) in SyntaxErrors.Cast<object[]>().Select(@case => ((string)@case[0], (string)@case[1])))
        {
            await _workspace.WriteAsync(path, source);
        }
    }

    [OneTimeTearDown]
    public void Dispose()
    {
        _workspace.Dispose();
        _grpc.Dispose();
    }

    [TestCaseSource(nameof(SyntaxErrors))]
    public async Task RestReportsASyntaxErrorAtItsLine(string path, string source, int line)
    {
        var diagnostics = await _workspace.CheckAsync(path);

        var errors = diagnostics.Where(diagnostic => diagnostic.GetProperty("severity").GetString() == "error").ToList();
        var all = Show(diagnostics);
        Assert.That(errors, Is.Not.Empty, all);
        Assert.Multiple(() =>
        {
            Assert.That(errors[0].GetProperty("line").GetInt32(), Is.EqualTo(line), all);
            Assert.That(errors[0].GetProperty("column").GetInt32(), Is.GreaterThan(0), all);
            Assert.That(errors[0].GetProperty("endLine").GetInt32(), Is.GreaterThanOrEqualTo(line), all);
            Assert.That(errors[0].GetProperty("message").GetString(), Is.Not.Empty, all);
        });
    }

    [TestCaseSource(nameof(CleanPrograms))]
    public async Task RestFindsNothingInACleanFileThatImportsAnother(LanguageProgram program)
    {
        var workspace = await ExecWorkspace.AllLanguagesAsync();

        var diagnostics = await workspace.CheckAsync(program.EntryInFolder);

        Assert.That(diagnostics, Is.Empty, Show(diagnostics));
    }

    [TestCaseSource(nameof(SyntaxErrors))]
    public async Task GrpcReportsASyntaxErrorAtItsLine(string path, string source, int line)
    {
        var request = new CheckRequest { Path = path, Files = ExecGrpc.Inline((path, source)) };

        var answer = await _grpc.Client.CheckAsync(request, ExecGrpc.As(_workspace.AccessToken));

        var errors = answer.Diagnostics.Where(diagnostic => diagnostic.Severity == Severity.Error).ToList();
        Assert.That(errors, Is.Not.Empty, answer.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(errors[0].Line, Is.EqualTo((uint)line), answer.ToString());
            Assert.That(errors[0].Column, Is.GreaterThan(0u), answer.ToString());
            Assert.That(errors[0].Message, Is.Not.Empty, answer.ToString());
        });
    }

    [TestCaseSource(nameof(CleanGrpcPrograms))]
    public async Task GrpcFindsNothingInACleanFileThatImportsAnother(LanguageProgram program)
    {
        var request = new CheckRequest { Language = program.Language, Path = program.Entry, Files = ExecGrpc.Inline(program) };

        var answer = await _grpc.Client.CheckAsync(request, ExecGrpc.As(_workspace.AccessToken));

        Assert.That(answer.Diagnostics, Is.Empty, answer.ToString());
    }

    [Test]
    public async Task GrpcChecksAWorkspaceFile()
    {
        var request = new CheckRequest { WorkspaceId = _workspace.Id, Path = "broken/bad.py" };

        var answer = await _grpc.Client.CheckAsync(request, ExecGrpc.As(_workspace.AccessToken));

        Assert.That(answer.Diagnostics.Select(diagnostic => (diagnostic.Line, diagnostic.Severity)), Does.Contain((5u, Severity.Error)), answer.ToString());
    }

    private static string Show(IEnumerable<JsonElement> diagnostics) => string.Join("\n", diagnostics.Select(diagnostic => diagnostic.GetRawText()));
}
