using WebIde.Execution.Runs;

namespace WebIde.Execution.UnitTests.Runs;

public sealed class ProjectPathsTests
{
    [TestCase("main.py")]
    [TestCase("src/app/Main.java")]
    [TestCase(".hidden")]
    [TestCase("..a")]
    [TestCase("a..b/c")]
    [TestCase(".webidex/notes.txt")]
    [TestCase("docs/.webide/x")]
    [TestCase("with space/naïve 😀.txt")]
    public void AcceptsRelativeSlashSeparatedPaths(string path) =>
        Assert.That(ProjectPaths.Problem(path), Is.Null);

    [TestCase(null)]
    [TestCase("")]
    [TestCase("/etc/passwd")]
    [TestCase("/")]
    [TestCase("src\\main.c")]
    [TestCase("..")]
    [TestCase("../outside")]
    [TestCase("a/../../b")]
    [TestCase(".")]
    [TestCase("./main.py")]
    [TestCase("src/")]
    [TestCase("a//b")]
    [TestCase("tab\there")]
    [TestCase("line\nbreak")]
    [TestCase("nul\0byte")]
    [TestCase("del\u007f")]
    [TestCase("c1\u0085control")]
    [TestCase(".webide")]
    [TestCase(".webide/build/main")]
    public void RefusesPathsTheSandboxCannotTakeSafely(string? path) =>
        Assert.That(ProjectPaths.Problem(path), Is.Not.Null);

    [Test]
    public void LengthIsLimited()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ProjectPaths.Problem(new string('a', ProjectPaths.MaxLength)), Is.Null);
            Assert.That(ProjectPaths.Problem(new string('a', ProjectPaths.MaxLength + 1)), Does.Contain("longer"));
        }
    }
}
