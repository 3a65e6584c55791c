namespace WebIde.HostileSuite;

/// <summary>One case of the hostile suite as NUnit runs it (a <c>[TestCase]</c> row counts as one), and its transport.</summary>
public sealed record HostileCase(string FullName, string Transport)
{
    public override string ToString() => $"{Transport} {FullName}";
}
