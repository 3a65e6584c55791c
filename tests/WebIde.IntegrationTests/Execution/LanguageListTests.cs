using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebIde.Contracts.Execution.V1;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// <c>GET /api/languages</c> through the gateway, without a token (docs/api.md §5): the nine languages with
/// the fields the web app builds its language map from, and the same list gRPC ListLanguages gives.
/// </summary>
public sealed class LanguageListTests
{
    private static readonly string[] Fields = ["name", "displayName", "version", "extensions", "editorLanguage", "compiled", "languageServer"];

    private static readonly (string Name, string DisplayName, string[] Extensions, string EditorLanguage, bool Compiled)[] Nine =
    [
        ("python", "Python", [".py"], "python", false),
        ("javascript", "JavaScript (Node.js)", [".js", ".mjs", ".cjs"], "javascript", false),
        ("typescript", "TypeScript", [".ts"], "typescript", true),
        ("c", "C (GCC)", [".c"], "c", true),
        ("cpp", "C++ (G++)", [".cpp", ".cc", ".cxx"], "cpp", true),
        ("java", "Java (OpenJDK)", [".java"], "java", true),
        ("go", "Go", [".go"], "go", true),
        ("rust", "Rust", [".rs"], "rust", true),
        ("bash", "Bash", [".sh", ".bash"], "shell", false),
    ];

    [Test]
    public async Task AnyoneGetsTheNineLanguagesWithTheirFields()
    {
        using var client = Platform.CreateGatewayClient();

        using var response = await client.GetAsync(new Uri("/api/languages", UriKind.Relative));
        var languages = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(languages.Select(language => language.GetProperty("name").GetString()), Is.EqualTo(Nine.Select(language => language.Name)));
        using (Assert.EnterMultipleScope())
        {
            foreach (var (language, expected) in languages.Zip(Nine))
            {
                Assert.That(language.EnumerateObject().Select(property => property.Name), Is.EquivalentTo(Fields), expected.Name);
                Assert.That(language.GetProperty("displayName").GetString(), Is.EqualTo(expected.DisplayName), expected.Name);
                Assert.That(language.GetProperty("extensions").EnumerateArray().Select(extension => extension.GetString()), Is.EqualTo(expected.Extensions), expected.Name);
                Assert.That(language.GetProperty("editorLanguage").GetString(), Is.EqualTo(expected.EditorLanguage), expected.Name);
                Assert.That(language.GetProperty("compiled").GetBoolean(), Is.EqualTo(expected.Compiled), expected.Name);
                Assert.That(language.GetProperty("languageServer").ValueKind, Is.EqualTo(JsonValueKind.True).Or.EqualTo(JsonValueKind.False), expected.Name);
                Assert.That(language.GetProperty("version").GetString(), Does.Match(@"^\d+(\.\d+)+"), $"{expected.Name}: the runner image's version");
            }
        }
    }

    [Test]
    public async Task GrpcListLanguagesGivesTheSameList()
    {
        using var client = Platform.CreateGatewayClient();
        var (_, tokens) = await Accounts.SignedInUserAsync(client, "langs");
        using var grpc = new ExecGrpc();

        var rest = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/languages", UriKind.Relative));
        var listed = await grpc.Client.ListLanguagesAsync(new ListLanguagesRequest(), ExecGrpc.As(tokens.Access()));

        Assert.That(listed.Languages.Select(Describe), Is.EqualTo(rest.EnumerateArray().Select(Describe)));
    }

    private static string Describe(Language language) =>
        $"{language.Name}|{language.DisplayName}|{language.Version}|{string.Join(' ', language.Extensions)}|{language.EditorLanguage}|{language.Compiled}|{language.LanguageServer}";

    private static string Describe(JsonElement language) =>
        $"{language.GetProperty("name").GetString()}|{language.GetProperty("displayName").GetString()}|{language.GetProperty("version").GetString()}|" +
        $"{string.Join(' ', language.GetProperty("extensions").EnumerateArray().Select(extension => extension.GetString()))}|" +
        $"{language.GetProperty("editorLanguage").GetString()}|{language.GetProperty("compiled").GetBoolean()}|{language.GetProperty("languageServer").GetBoolean()}";
}
