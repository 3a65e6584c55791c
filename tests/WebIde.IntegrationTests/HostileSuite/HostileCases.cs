using System.Reflection;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using WebIde.IntegrationTests;

namespace WebIde.HostileSuite;

/// <summary>
/// The cases of the hostile suite in an assembly, found as the runner finds them: NUnit builds the
/// assembly's tests (its own reflection, parameterized tests expanded into their rows, categories
/// of a class applied to each of its tests) without running any of them.
/// </summary>
public static class HostileCases
{
    /// <summary>Every test case with <see cref="HostileCategories.Suite"/>, and the transport categories each carries.</summary>
    public static IReadOnlyList<(string FullName, IReadOnlyList<string> Transports)> Tagged(Assembly assembly)
    {
        var root = new DefaultTestAssemblyBuilder().Build(assembly, new Dictionary<string, object>());
        Assert.That(root.RunState, Is.Not.EqualTo(RunState.NotRunnable), $"NUnit could not build {assembly.GetName().Name}: {root.Properties.Get(PropertyNames.SkipReason)}");
        return [.. Leaves(root)
            .Select(test => (test.FullName, Categories: CategoriesOf(test)))
            .Where(test => test.Categories.Contains(HostileCategories.Suite))
            .Select(test => (test.FullName, (IReadOnlyList<string>)[.. HostileCategories.Transports.Where(test.Categories.Contains)]))];
    }

    /// <summary>The cases that carry exactly one transport, as the suite counts them.</summary>
    public static IReadOnlyList<HostileCase> Of(Assembly assembly) =>
        [.. Tagged(assembly).Where(test => test.Transports.Count == 1).Select(test => new HostileCase(test.FullName, test.Transports[0]))];

    private static IEnumerable<ITest> Leaves(ITest test) =>
        test.IsSuite ? test.Tests.SelectMany(Leaves) : [test];

    /// <summary>A test's own categories and those of every suite above it (its class, mostly).</summary>
    private static HashSet<string> CategoriesOf(ITest test)
    {
        var categories = new HashSet<string>(StringComparer.Ordinal);
        for (var current = test; current is not null; current = current.Parent)
        {
            foreach (var category in current.Properties[PropertyNames.Category])
            {
                categories.Add((string)category);
            }
        }
        return categories;
    }
}
