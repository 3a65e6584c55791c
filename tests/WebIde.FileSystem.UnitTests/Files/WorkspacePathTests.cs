using WebIde.FileSystem.Files;

namespace WebIde.FileSystem.UnitTests.Files;

public sealed class WorkspacePathTests
{
    [TestCase("main.py")]
    [TestCase("src/app/main.ts")]
    [TestCase("docs/naïve 日本.md")]
    [TestCase(".gitignore")]
    [TestCase("a/.hidden/..x/...")]
    [TestCase("emoji-😀.txt")]
    public void ContractPathsAreAccepted(string path)
    {
        Assert.That(WorkspacePath.TryValidate(path, out var error), Is.True, error);
    }

    [TestCase(null, "empty")]
    [TestCase("", "empty")]
    [TestCase("/etc/passwd", "relative")]
    [TestCase("..", "'..'")]
    [TestCase("a/../b", "'..'")]
    [TestCase("./a", "'.'")]
    [TestCase("a/.", "'.'")]
    [TestCase("a//b", "empty segment")]
    [TestCase("a/", "empty segment")]
    [TestCase("a\\b", "backslash")]
    [TestCase("a\0b", "control")]
    [TestCase("a\u0001b", "control")]
    [TestCase("a\u007fb", "control")]
    [TestCase("a\u0085b", "control")]
    [TestCase("line\nbreak", "control")]
    public void BrokenPathsAreRefusedWithAReason(string? path, string reason)
    {
        Assert.Multiple(() =>
        {
            Assert.That(WorkspacePath.TryValidate(path, out var error), Is.False);
            Assert.That(error, Does.Contain(reason));
        });
    }

    [Test]
    public void AnUnpairedSurrogateIsNotUtf8()
    {
        // Built at run time: an attribute's string would have it replaced at compile time.
        var path = "half" + (char)0xD800 + "surrogate";

        Assert.Multiple(() =>
        {
            Assert.That(WorkspacePath.TryValidate(path, out var error), Is.False);
            Assert.That(error, Does.Contain("UTF-8"));
        });
    }

    [Test]
    public void ThePathLimitIsCountedInUtf8Bytes()
    {
        var segment = new string('a', 255);
        var exactly1024 = string.Join('/', segment, segment, segment, segment[..254], "b");
        var fourSegmentsOf254Bytes = string.Join('/', Enumerable.Repeat(new string('é', 127), 4));

        Assert.Multiple(() =>
        {
            Assert.That(System.Text.Encoding.UTF8.GetByteCount(exactly1024), Is.EqualTo(1024));
            Assert.That(WorkspacePath.TryValidate(exactly1024, out _), Is.True, "1,024 bytes");
            Assert.That(WorkspacePath.TryValidate(exactly1024 + "b", out _), Is.False, "1,025 bytes");
            Assert.That(WorkspacePath.TryValidate(new string('a', 256), out _), Is.False, "a 256-byte segment");
            Assert.That(WorkspacePath.TryValidate(new string('é', 127) + "é", out _), Is.False, "128 two-byte characters are 256 bytes");
            Assert.That(WorkspacePath.TryValidate(fourSegmentsOf254Bytes, out _), Is.True, "1,019 bytes in 511 characters");
            Assert.That(WorkspacePath.TryValidate(fourSegmentsOf254Bytes + "/ééé", out _), Is.False, "1,026 bytes in 515 characters");
        });
    }

    [Test]
    public void AncestorsComeOutermostFirstAndInsideMeansStrictlyBelow()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WorkspacePath.Ancestors("a/b/c.txt"), Is.EqualTo(new[] { "a", "a/b" }));
            Assert.That(WorkspacePath.Ancestors("top.txt"), Is.Empty);
            Assert.That(WorkspacePath.Parent("a/b/c.txt"), Is.EqualTo("a/b"));
            Assert.That(WorkspacePath.Parent("top.txt"), Is.Null);
            Assert.That(WorkspacePath.IsInside("src/a.cs", "src"), Is.True);
            Assert.That(WorkspacePath.IsInside("src2/a.cs", "src"), Is.False);
            Assert.That(WorkspacePath.IsInside("src", "src"), Is.False);
            Assert.That(WorkspacePath.Rebase("src/lib/a.cs", "src", "app"), Is.EqualTo("app/lib/a.cs"));
            Assert.That(WorkspacePath.Rebase("src", "src", "app"), Is.EqualTo("app"));
        });
    }
}
