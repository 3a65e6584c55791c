using System.Security.Cryptography;
using YamlDotNet.RepresentationModel;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>
/// The files an overlay's <c>secretGenerator</c> reads, which the operator makes and git never holds: written as
/// stand-ins, each value a fresh random one, so a test can tell the operator's values from the base's placeholders.
/// The keys of an <c>envs</c> file are those the base's generator of the same Secret declares.
/// </summary>
public static class OperatorSecretFiles
{
    public const string StandInPrefix = "stand-in-";

    /// <summary>Writes the stand-ins the kustomization in <paramref name="root"/> asks for; the values written, by Secret and key.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> WriteStandIns(string root)
    {
        var generators = SecretGenerators(root);
        var baseGenerators = SecretGenerators(Path.Combine(Kustomize.ManifestsRoot, "base"));
        var written = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var generator in generators.Where(generator => generator.Files.Count > 0 || generator.Envs.Count > 0))
        {
            var values = new Dictionary<string, string>();
            foreach (var (key, path) in generator.Files)
            {
                values[key] = StandIn();
                WriteFile(root, path, values[key]);
            }
            var envKeys = baseGenerators.Single(other => other.Name == generator.Name).LiteralKeys.Except(values.Keys).ToList();
            foreach (var path in generator.Envs)
            {
                foreach (var key in envKeys)
                {
                    values[key] = StandIn();
                }
                WriteFile(root, path, string.Concat(envKeys.Select(key => $"{key}={values[key]}\n")));
            }
            written[generator.Name] = values;
        }
        return written;
    }

    private static string StandIn() => StandInPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static void WriteFile(string root, string path, string content)
    {
        var file = Path.Combine(root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
    }

    private static List<SecretGenerator> SecretGenerators(string root)
    {
        var yaml = new YamlStream();
        using (var reader = new StreamReader(Path.Combine(root, "kustomization.yaml")))
        {
            yaml.Load(reader);
        }
        var document = (YamlMappingNode)yaml.Documents[0].RootNode;
        if (!document.Children.TryGetValue("secretGenerator", out var list))
        {
            return [];
        }
        return [.. ((YamlSequenceNode)list).Cast<YamlMappingNode>().Select(SecretGenerator.From)];
    }

    private sealed record SecretGenerator(string Name, IReadOnlyList<string> LiteralKeys, IReadOnlyList<(string Key, string Path)> Files, IReadOnlyList<string> Envs)
    {
        public static SecretGenerator From(YamlMappingNode node) => new(
            Scalar(node, "name"),
            [.. Strings(node, "literals").Select(literal => literal.Split('=', 2)[0])],
            [.. Strings(node, "files").Select(file => file.Split('=', 2) is [var key, var path] ? (key, path) : (Path.GetFileName(file), file))],
            Strings(node, "envs"));

        private static string Scalar(YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[key]).Value!;

        private static List<string> Strings(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(key, out var list) ? [.. ((YamlSequenceNode)list).Cast<YamlScalarNode>().Select(item => item.Value!)] : [];
    }
}
