namespace WebIde.Deploy.UnitTests.Kubernetes;

/// <summary>A Kustomize root under <c>deploy/kubernetes</c> that an operator applies, rendered once per test run.</summary>
public sealed class Overlay(string name, string folder)
{
    public static readonly Overlay Base = new("base", "base");
    public static readonly Overlay Production = new("production", Path.Combine("overlays", "production"));

    public static readonly IReadOnlyList<Overlay> All = [Base, Production];

    private readonly Lazy<RenderedManifests> _rendered = new(() => Kustomize.Render(folder));

    public string Name { get; } = name;

    /// <summary>Its folder, relative to <c>deploy/kubernetes</c>.</summary>
    public string Folder { get; } = folder;

    public RenderedManifests Manifests => _rendered.Value;

    public override string ToString() => Name;
}
