using System.Text;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;

namespace WebIde.Execution.UnitTests.Languages;

public sealed class JavaEntryPlacementTests
{
    private const string HelloWorld = "public class HelloWorld { public static void main(String[] args) {} }";

    [TestCase("Main.java", "HelloWorld.java")]
    [TestCase("src/app/Main.java", "src/app/HelloWorld.java")]
    [TestCase("main.java", "HelloWorld.java")]
    public void AnEntryWhosePublicClassHasAnotherNameGoesUnderThatNameInItsFolder(string entry, string placed)
    {
        var project = new SourceProject([File("lib/Util.java", "class Util {}"), File(entry, HelloWorld), File("notes.txt", "x")], entry, ["arg"]);

        var result = JavaEntryPlacement.Of(project);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Entry, Is.EqualTo(placed));
            Assert.That(result.Paths, Is.EqualTo(new[] { "lib/Util.java", placed, "notes.txt" }), "the files' order kept");
            Assert.That(Encoding.UTF8.GetString(result.Files[1].Content.Span), Is.EqualTo(HelloWorld));
            Assert.That(result.Args, Is.EqualTo(new[] { "arg" }));
        }
    }

    [TestCase("class HelloWorld { public static void main(String[] args) {} }")]
    [TestCase("public class Main { public static void main(String[] args) {} }")]
    [TestCase("// public class HelloWorld {}\nclass Main {}")]
    [TestCase("class Main { String s = \"public class HelloWorld {\"; }")]
    public void AnEntryWithoutAPublicClassOfAnotherNameStaysWhereItIs(string source)
    {
        var project = new SourceProject([File("Main.java", source)], "Main.java", []);

        Assert.That(JavaEntryPlacement.Of(project), Is.SameAs(project));
    }

    [TestCase("HelloWorld.java")]
    [TestCase("HelloWorld.java/readme.txt")]
    public void AnEntryStaysWhereItIsWhenItsNewNameIsTaken(string taken)
    {
        var project = new SourceProject([File("Main.java", HelloWorld), File(taken, "")], "Main.java", []);

        Assert.That(JavaEntryPlacement.Of(project), Is.SameAs(project), "javac's own error says what is wrong");
    }

    [Test]
    public void AnEntryThatIsNotAJavaFileStaysWhereItIs()
    {
        var project = new SourceProject([File("Main.txt", HelloWorld)], "Main.txt", []);

        Assert.That(JavaEntryPlacement.Of(project), Is.SameAs(project));
    }

    [Test]
    public void JavaCompilesThePlacedFileAndStartsItsClassInItsPackage()
    {
        var java = new LanguageCatalog().Find("java")!;
        var project = java.PlaceForToolchain(new SourceProject(
            [File("app/Main.java", "package app;\n" + HelloWorld), File("app/Greeter.java", "package app;\nclass Greeter {}")], "app/Main.java", []));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(java.CompileCommand(project), Does.Contain("app/HelloWorld.java").And.Contain("app/Greeter.java").And.Not.Contain("app/Main.java"));
            Assert.That(java.RunCommand(project)[^1], Is.EqualTo("app.HelloWorld"));
        }
    }

    [Test]
    public void OtherLanguagesTakeTheProjectAsItIs()
    {
        var project = new SourceProject([File("Main.java", HelloWorld)], "Main.java", []);

        Assert.That(new LanguageCatalog().All.Where(language => language.Name != "java").Select(language => language.PlaceForToolchain(project)), Is.All.SameAs(project));
    }

    private static SourceFile File(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));
}
