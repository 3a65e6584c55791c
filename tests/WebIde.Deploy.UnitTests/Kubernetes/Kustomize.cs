using System.Diagnostics;
using WebIde.Tests.Shared;

namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>
/// <c>kubectl kustomize</c>, as an operator's <c>kubectl apply -k</c> renders the manifests, on a copy of
/// <c>deploy/kubernetes</c> in which the files an overlay expects from the operator (its credentials) are
/// stand-ins (<see cref="OperatorSecretFiles"/>), so nothing is written into the checkout.
/// </summary>
public static class Kustomize
{
    public static string ManifestsRoot { get; } = Path.Combine(Checkout.Root, "deploy", "kubernetes");

    public static RenderedManifests Render(string folder)
    {
        var copy = Directory.CreateTempSubdirectory("webide-kustomize-");
        try
        {
            CopyFolder(ManifestsRoot, copy.FullName);
            var root = Path.Combine(copy.FullName, folder);
            var secrets = OperatorSecretFiles.WriteStandIns(root);
            return new RenderedManifests(Run(root), secrets);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static string Run(string root)
    {
        var start = new ProcessStartInfo("kubectl", ["kustomize", root])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("kubectl (1.27 or later, with its built-in Kustomize) is needed to render deploy/kubernetes", exception);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0
                ? output
                : throw new InvalidOperationException($"kubectl kustomize {root} failed ({process.ExitCode}): {error.Result}");
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var folder in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, folder)));
        }
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
        }
    }
}
