using System.Text;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;

namespace WebIde.Execution.UnitTests.Languages;

public sealed class JavaMainClassTests
{
    private const string MainMethod = "public static void main(String[] args) {}";

    [TestCase("public class Main {}", "Main")]
    [TestCase("package a.b;\npublic class Main {}", "a.b.Main")]
    [TestCase("// Example\n/* header */\n\n  package com.example.app ;\nclass Main {}", "com.example.app.Main")]
    [TestCase("package single;class Main {}", "single.Main")]
    [TestCase("// package old.one;\npackage current;\nclass Main {}", "current.Main")]
    [TestCase("package año.ñu;\nclass Main {}", "año.ñu.Main")]
    [TestCase("package a . b;\nclass Main {}", "a.b.Main")]
    [TestCase("class Main { String s = \"package x;\"; }", "Main")]
    public void IsTheEntryFilesNameInItsDeclaredPackage(string source, string expected)
    {
        var project = new SourceProject([new SourceFile("src/deep/Main.java", Encoding.UTF8.GetBytes(source))], "src/deep/Main.java", []);

        Assert.That(JavaMainClass.Of(project), Is.EqualTo(expected));
    }

    [TestCase("public class HelloWorld { " + MainMethod + " }", "HelloWorld")]
    [TestCase("package p;\nclass Foo { " + MainMethod + " }", "p.Foo")]
    [TestCase("class Helper {}\npublic final class App { static public void main(String... args) {} }", "App")]
    [TestCase("class First { " + MainMethod + " }\npublic class Second { " + MainMethod + " }", "Second")]
    [TestCase("class Other { " + MainMethod + " }\nclass Main { " + MainMethod + " }", "Main")]
    [TestCase("class A { " + MainMethod + " }\nclass B { " + MainMethod + " }", "A")]
    [TestCase("public class Greeter { String hi() { return \"hi\"; } }\nclass Runner { " + MainMethod + " }", "Runner")]
    [TestCase("@SuppressWarnings(\"unused\") public class Box<T extends Comparable<T>> { " + MainMethod + " }", "Box")]
    [TestCase("record Point(int x, int y) { " + MainMethod + " }", "Point")]
    [TestCase("enum Color { RED; " + MainMethod + " }", "Color")]
    [TestCase("interface Tool { " + MainMethod + " }", "Tool")]
    public void IsTheTopLevelClassThatDeclaresMainPreferringThePublicOne(string source, string expected) =>
        Assert.That(JavaMainClass.Of(Entry("src/Main.java", source)), Is.EqualTo(expected));

    [TestCase("class Foo { public void main(String[] args) {} }")]
    [TestCase("class Foo { static void main(String[] args) {} }")]
    [TestCase("class Foo { static class Inner { " + MainMethod + " } }")]
    [TestCase("class Foo { void run() { Runnable r = new Runnable() { " + MainMethod + " public void run() {} }; } }")]
    [TestCase("")]
    public void IsTheFilesNameWhenNoTopLevelClassDeclaresMain(string source) =>
        Assert.That(JavaMainClass.Of(Entry("Main.java", source)), Is.EqualTo("Main"));

    [TestCase("// public class Fake { " + MainMethod + " }\nclass Real { " + MainMethod + " }")]
    [TestCase("/* public class Fake { " + MainMethod + " } */ class Real { " + MainMethod + " }")]
    [TestCase("/** {@code public class Fake { " + MainMethod + " }} */\nclass Real { " + MainMethod + " }")]
    [TestCase("class Real { String s = \"} public class Fake { " + MainMethod + " \"; " + MainMethod + " }")]
    [TestCase("class Real { String s = \"\\\" } class Fake { \"; " + MainMethod + " }")]
    [TestCase("class Real { char close = '}'; " + MainMethod + " }")]
    [TestCase("class Real { char quote = '\"'; " + MainMethod + " }")]
    [TestCase("class Real { char escaped = '\\''; " + MainMethod + " }")]
    [TestCase("class Real { String block = \"\"\"\n    }\n    public class Fake { " + MainMethod + " \\\"\"\"\n    \"\"\"; " + MainMethod + " }")]
    [TestCase("class Real { " + MainMethod + " } // public class Fake { " + MainMethod + " }\n/* unterminated")]
    public void CommentsAndLiteralsDoNotCount(string source) =>
        Assert.That(JavaMainClass.Of(Entry("Main.java", source)), Is.EqualTo("Real"));

    [Test]
    public void IsTheFilesNameWhenTheEntryIsNotInTheProject()
    {
        var project = new SourceProject([new SourceFile("Other.java", "package p;"u8.ToArray())], "App.java", []);

        Assert.That(JavaMainClass.Of(project), Is.EqualTo("App"));
    }

    [Test]
    public void OnlyTheEntrysPackageCounts()
    {
        var project = new SourceProject(
            [new SourceFile("lib/Util.java", "package lib;"u8.ToArray()), new SourceFile("Main.java", "class Main {}"u8.ToArray())],
            "Main.java",
            []);

        Assert.That(JavaMainClass.Of(project), Is.EqualTo("Main"));
    }

    private static SourceProject Entry(string path, string source) => new([new SourceFile(path, Encoding.UTF8.GetBytes(source))], path, []);
}
