namespace WebIde.Tests.Shared;

/// <summary>The repository checkout the tests run from, as <c>./webide</c> sees it.</summary>
public static class Checkout
{
    public static string Root { get; } = FindRoot();

    /// <summary>
    /// The installation tests label their sandbox containers with: the checkout's data folder,
    /// as for <c>./webide up</c>, so <c>./webide</c>'s cleanup removes what a test leaves behind
    /// and never another checkout's.
    /// </summary>
    public static string Installation => Path.Combine(Root, ".data");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WebIde.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException("WebIde.sln was not found above the tests");
    }
}
