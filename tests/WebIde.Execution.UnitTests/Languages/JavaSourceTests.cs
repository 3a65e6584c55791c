using WebIde.Execution.Languages;

namespace WebIde.Execution.UnitTests.Languages;

public sealed class JavaSourceTests
{
    [TestCase("a // b { c\nd", "a  \nd")]
    [TestCase("a /* b\n { */ c", "a   c")]
    [TestCase("a /** {@code x} */ b", "a   b")]
    [TestCase("s = \"{ \\\" }\"; t", "s =  ; t")]
    [TestCase("c = '\"'; d = '\\''; e = '{'", "c =  ; d =  ; e =  ")]
    [TestCase("s = \"a // b\"; /* \"c\" */ x", "s =  ;   x")]
    [TestCase("t = \"\"\"\n  } \\\"\"\" \"\n  \"\"\"; u", "t =  ; u")]
    [TestCase("s = \"open\nnext", "s =  \nnext")]
    [TestCase("a /* open", "a  ")]
    [TestCase("a / b * c", "a / b * c")]
    public void CommentsAndLiteralsBecomeOneSpace(string text, string expected) =>
        Assert.That(JavaSource.WithoutCommentsAndLiterals(text), Is.EqualTo(expected));

    [Test]
    public void ReadsThePackageAndEachTopLevelTypeWithWhetherItIsPublicAndHasMain()
    {
        var source = JavaSource.Read("""
            package com.example; // the app

            import java.util.List;

            @FunctionalInterface
            interface Step { void run(); }

            public final class HelloWorld {
                static class Nested { public static void main(String[] args) {} }
                public static void main(String[] args) { System.out.println("class Fake {"); }
            }

            enum Mode { ON, OFF }

            sealed interface Shape permits Circle {}

            non-sealed class Circle implements Shape { static public void main(String... args) {} }

            record Pair<A, B>(A first, B second) {}
            """);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(source.Package, Is.EqualTo("com.example"));
            Assert.That(source.TopLevelTypes, Is.EqualTo(new[]
            {
                new JavaTopLevelType("Step", IsPublic: false, HasMain: false),
                new JavaTopLevelType("HelloWorld", IsPublic: true, HasMain: true),
                new JavaTopLevelType("Mode", IsPublic: false, HasMain: false),
                new JavaTopLevelType("Shape", IsPublic: false, HasMain: false),
                new JavaTopLevelType("Circle", IsPublic: false, HasMain: true),
                new JavaTopLevelType("Pair", IsPublic: false, HasMain: false),
            }));
            Assert.That(source.PublicType?.Name, Is.EqualTo("HelloWorld"));
        }
    }

    [TestCase("class A { void main(String[] args) {} }")]
    [TestCase("class A { public void main(String[] args) {} }")]
    [TestCase("class A { public static void mainly(String[] args) {} }")]
    [TestCase("class A { public static int main(String[] args) { return 0; } }")]
    [TestCase("class A { void f() { class Local { public static void main(String[] args) {} } } }")]
    public void OnlyAPublicStaticVoidMainInTheTypesOwnBodyCounts(string text) =>
        Assert.That(JavaSource.Read(text).TopLevelTypes.Single().HasMain, Is.False);

    [TestCase("class Main {}")]
    [TestCase("// public class Main {}\nclass Main {}")]
    [TestCase("class Main { public class Inner {} }")]
    [TestCase("")]
    public void AFileWithoutAPublicTopLevelTypeHasNone(string text) => Assert.That(JavaSource.Read(text).PublicType, Is.Null);
}
