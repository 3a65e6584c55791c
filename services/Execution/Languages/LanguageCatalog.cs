namespace WebIde.Execution.Languages;

/// <summary>The nine contract languages and how each builds and starts a project.</summary>
public sealed class LanguageCatalog
{
    private const string Binary = SandboxLayout.BuildAbsolute + "/main";

    private static readonly string[] JvmFlags = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData", "-Xshare:auto"];

    private readonly Dictionary<string, LanguageDefinition> _byName;

    public LanguageCatalog()
    {
        LanguageDefinition[] all =
        [
            new("python", [".py"], _ => null, project => ["python3", project.Entry, .. project.Args]),
            new("javascript", [".js", ".mjs", ".cjs"], _ => null, project => ["node", project.Entry, .. project.Args]),
            new("typescript", [".ts"],
                project => ["tsc", "--outDir", SandboxLayout.Build, "--rootDir", ".", "--module", "commonjs", "--target", "es2020",
                    "--esModuleInterop", "--skipLibCheck", "--typeRoots", "/usr/share/nodejs/@types", "--types", "node", "--pretty", "false", project.Entry],
                project => ["node", $"{SandboxLayout.Build}/{Path.ChangeExtension(project.Entry, ".js")}", .. project.Args]),
            new("c", [".c"],
                project => ["gcc", "-std=gnu17", "-O2", "-pipe", "-o", Binary, .. project.PathsEndingWith(".c"), "-lm"],
                project => [Binary, .. project.Args]),
            new("cpp", [".cpp", ".cc", ".cxx"],
                project => ["g++", "-std=gnu++17", "-O2", "-pipe", "-o", Binary, .. project.PathsEndingWith(".cpp", ".cc", ".cxx")],
                project => [Binary, .. project.Args]),
            new("java", [".java"],
                project => ["javac", .. JvmFlags.Select(flag => "-J" + flag), "-encoding", "UTF-8", "-d", SandboxLayout.Build, .. project.PathsEndingWith(".java")],
                project => ["java", .. JvmFlags, "-cp", SandboxLayout.Build, JavaMainClass.Of(project), .. project.Args]),
            new("go", [".go"],
                project => ["go", "build", "-o", Binary, "./" + project.EntryDirectory],
                project => [Binary, .. project.Args],
                new Dictionary<string, string> { ["GO111MODULE"] = "off" }),
            new("rust", [".rs"],
                project => ["rustc", "--edition", "2021", "-O", "-o", Binary, project.Entry],
                project => [Binary, .. project.Args]),
            new("bash", [".sh", ".bash"], _ => null, project => ["bash", project.Entry, .. project.Args]),
        ];
        _byName = all.ToDictionary(language => language.Name, StringComparer.Ordinal);
        Names = [.. all.Select(language => language.Name)];
    }

    public IReadOnlyList<string> Names { get; }

    public IEnumerable<LanguageDefinition> All => Names.Select(name => _byName[name]);

    public LanguageDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    public LanguageDefinition? ForPath(string path) =>
        _byName.Values.FirstOrDefault(language => language.Extensions.Any(extension => path.EndsWith(extension, StringComparison.OrdinalIgnoreCase)));
}
