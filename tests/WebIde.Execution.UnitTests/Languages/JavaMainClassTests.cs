using System.Text;
using WebIde.Execution.Languages;
using WebIde.Execution.Runs;

namespace WebIde.Execution.UnitTests.Languages;

public sealed class JavaMainClassTests
{
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
}
