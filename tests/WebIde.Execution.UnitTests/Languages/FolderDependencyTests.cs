using System.Reflection;
using WebIde.Execution.Languages;

namespace WebIde.Execution.UnitTests.Languages;

/// <summary>
/// Languages/ and Sandbox/ know nothing of each other (docs/platform.md, "Languages"): the service joins
/// them. Checked on what the types expose, store and take (signatures, fields, base types), not on method bodies.
/// </summary>
public sealed class FolderDependencyTests
{
    private const string Languages = "WebIde.Execution.Languages";
    private const string Sandbox = "WebIde.Execution.Sandbox";

    [TestCase(Languages, Sandbox)]
    [TestCase(Sandbox, Languages)]
    public void OneFolderUsesNoTypeOfTheOther(string folder, string other) =>
        Assert.That(
            TypesIn(folder).SelectMany(type => Uses(type).Where(used => InNamespace(used, other)).Select(used => $"{type.Name} uses {used.Name}")),
            Is.Empty);

    private static IEnumerable<Type> TypesIn(string folder) =>
        typeof(LanguageCatalog).Assembly.GetTypes().Where(type => InNamespace(type, folder));

    private static bool InNamespace(Type type, string folder) =>
        type.Namespace is { } name && (name == folder || name.StartsWith(folder + ".", StringComparison.Ordinal));

    private static IEnumerable<Type> Uses(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var methods = type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all));
        return new[] { type.BaseType }.OfType<Type>()
            .Concat(type.GetInterfaces())
            .Concat(type.GetFields(all).Select(field => field.FieldType))
            .Concat(type.GetProperties(all).Select(property => property.PropertyType))
            .Concat(methods.SelectMany(method => method.GetParameters().Select(parameter => parameter.ParameterType)))
            .Concat(type.GetMethods(all).Select(method => method.ReturnType))
            .SelectMany(Unwrap);
    }

    private static IEnumerable<Type> Unwrap(Type type) =>
        type.HasElementType ? Unwrap(type.GetElementType()!)
        : type.IsGenericType ? type.GetGenericArguments().SelectMany(Unwrap).Prepend(type)
        : [type];
}
