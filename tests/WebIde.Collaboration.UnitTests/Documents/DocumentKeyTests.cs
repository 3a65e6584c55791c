using WebIde.Collaboration.Documents;

namespace WebIde.Collaboration.UnitTests.Documents;

public sealed class DocumentKeyTests
{
    private static readonly Guid Workspace = Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    private static readonly Guid OtherWorkspace = Guid.Parse("7c9e6679-7425-40de-944b-e07fc1f90ae7");

    [TestCase("a.txt")]
    [TestCase("src/main.py")]
    [TestCase("a:b")]
    [TestCase(":")]
    [TestCase("::lead:and:trail::")]
    [TestCase("C:\\windows\\style")]
    [TestCase("dir/ünïcödé/漢字/😀.txt")]
    [TestCase("")]
    public void AKeyReadsBackFromItsId(string path)
    {
        var key = new DocumentKey(Workspace, path);

        Assert.That(DocumentKey.FromId(key.Id), Is.EqualTo(key));
    }

    [Test]
    public void TheIdIsTheWorkspaceWithoutDashesThenThePath()
    {
        Assert.That(new DocumentKey(Workspace, "a:b").Id, Is.EqualTo("3f2504e04f8941d39a0c0305e82c3301:a:b"));
    }

    [TestCase("a/b", "a", ExpectedResult = true, TestName = "a file under a directory")]
    [TestCase("a/b/c.txt", "a", ExpectedResult = true, TestName = "a file deep under a directory")]
    [TestCase("a/b/c.txt", "a/b", ExpectedResult = true, TestName = "a file under a nested directory")]
    [TestCase("a", "a", ExpectedResult = true, TestName = "the file itself")]
    [TestCase("ab", "a", ExpectedResult = false, TestName = "a sibling sharing a prefix")]
    [TestCase("a/bc", "a/b", ExpectedResult = false, TestName = "a nested sibling sharing a prefix")]
    [TestCase("a.txt", "a", ExpectedResult = false, TestName = "a file with an extension")]
    [TestCase("a", "a/b", ExpectedResult = false, TestName = "a directory is not under its child")]
    [TestCase("A/b", "a", ExpectedResult = false, TestName = "paths are case sensitive")]
    [TestCase("x/a/b", "a", ExpectedResult = false, TestName = "only from the start of the path")]
    public bool ADocumentIsAtOrUnderAPathOnlyAsAFileOrDirectory(string document, string path) =>
        new DocumentKey(Workspace, document).IsAtOrUnder(Workspace, path);

    [Test]
    public void ADocumentOfAnotherWorkspaceIsNeverUnderThePath()
    {
        Assert.That(new DocumentKey(Workspace, "a/b").IsAtOrUnder(OtherWorkspace, "a"), Is.False);
    }
}
