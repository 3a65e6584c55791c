namespace WebIde.Execution.Languages;

/// <summary>A class, interface, enum or record declared at the top of a Java file, not inside another type.</summary>
/// <param name="Name">Its simple name, without the package.</param>
/// <param name="IsPublic">Declared <c>public</c>: javac wants such a type in a file of its own name.</param>
/// <param name="HasMain">Declares <c>public static void main(</c> in its own body (not in a type nested in it).</param>
public sealed record JavaTopLevelType(string Name, bool IsPublic, bool HasMain);
