using System.Text;
using WebIde.Collaboration.Presence;
using WebIde.Collaboration.Sockets;
using WebIde.Ot;

namespace WebIde.Collaboration.UnitTests.Sockets;

public sealed class ClientMessageReaderTests
{
    private static ClientMessage Read(string json) => ClientMessageReader.Read(Encoding.UTF8.GetBytes(json));

    [Test]
    public void AJoinWithoutRevisionAsksForTheContent()
    {
        var message = Read("""{"type":"join","path":"src/main.py"}""");

        Assert.That(message, Is.EqualTo(new ClientMessage("join", "src/main.py")));
    }

    [Test]
    public void AJoinWithRevisionIsAResume()
    {
        var message = Read("""{"type":"join","path":"a.txt","revision":42}""");

        Assert.That(message, Is.EqualTo(new ClientMessage("join", "a.txt", Revision: 42)));
    }

    [Test]
    public void AJoinWithANullRevisionAsksForTheContent()
    {
        var message = Read("""{"type":"join","path":"a.txt","revision":null}""");

        Assert.That(message.Revision, Is.Null);
    }

    [Test]
    public void AnOpCarriesItsRevisionIdAndOperation()
    {
        var message = Read("""{"type":"op","path":"a.txt","revision":3,"id":"c1-7","op":[2,"xy",-1,4]}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Type, Is.EqualTo("op"));
            Assert.That(message.Path, Is.EqualTo("a.txt"));
            Assert.That(message.Revision, Is.EqualTo(3));
            Assert.That(message.Id, Is.EqualTo("c1-7"));
            Assert.That(message.Op, Is.EqualTo(TextOperation.CreateBuilder().Retain(2).Insert("xy").Delete(1).Retain(4).ToOperation()));
        }
    }

    [Test]
    public void TheFieldsOfAnOpMayComeInAnyOrder()
    {
        var message = Read("""{"op":["x"],"id":"1","revision":0,"path":"p","type":"op"}""");

        Assert.That(message, Is.EqualTo(new ClientMessage("op", "p", 0, "1", TextOperation.CreateBuilder().Insert("x").ToOperation())));
    }

    [Test]
    public void AnIdOfExactlyTheLongestLengthIsAccepted()
    {
        var id = new string('i', ClientMessageReader.MaxIdLength);

        var message = Read($$"""{"type":"op","path":"p","revision":0,"id":"{{id}}","op":[]}""");

        Assert.That(message.Id, Is.EqualTo(id));
    }

    [Test]
    public void ALoneSurrogateEscapeInAnInsertSurvives()
    {
        var message = Read("""{"type":"op","path":"p","revision":0,"id":"1","op":[1,"\ud83d",1]}""");

        var insert = message.Op!.Components.OfType<InsertOp>().Single();
        Assert.That(insert.Text, Is.EqualTo("\ud83d"));
    }

    [Test]
    public void ALoneLowSurrogateEscapeInAnInsertSurvives()
    {
        var message = Read("""{"type":"op","path":"p","revision":0,"id":"1","op":["a\ude00b"]}""");

        Assert.That(message.Op!.Apply(""), Is.EqualTo("a\ude00b"));
    }

    [Test]
    public void AnEmojiInAnInsertSurvivesRawOrEscaped()
    {
        var raw = Read("""{"type":"op","path":"p","revision":0,"id":"1","op":["😀"]}""");
        var escaped = Read("""{"type":"op","path":"p","revision":0,"id":"1","op":["\ud83d\ude00"]}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(raw.Op!.Apply(""), Is.EqualTo("😀"));
            Assert.That(escaped.Op!.Apply(""), Is.EqualTo("😀"));
        }
    }

    [Test]
    public void EscapesInThePathAndIdAreDecoded()
    {
        var message = Read("""{"type":"op","path":"dir\/na\"me\u00e9.txt","revision":0,"id":"a\\b","op":[]}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Path, Is.EqualTo("dir/na\"meé.txt"));
            Assert.That(message.Id, Is.EqualTo("a\\b"));
        }
    }

    [Test]
    public void ASelectionCarriesEverySelection()
    {
        var message = Read("""{"type":"selection","path":"p","selections":[{"anchor":1,"head":4},{"head":0,"anchor":0,"extra":{"x":[1]}}]}""");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(message.Type, Is.EqualTo("selection"));
            Assert.That(message.Selections, Is.EqualTo(new[] { new Selection(1, 4), new Selection(0, 0) }));
        }
    }

    [Test]
    public void ASelectionMayBeEmpty()
    {
        var message = Read("""{"type":"selection","path":"p","selections":[]}""");

        Assert.That(message.Selections, Is.Empty);
    }

    [Test]
    public void TheMostSelectionsAllowedAreAccepted()
    {
        var selections = string.Join(",", Enumerable.Repeat("""{"anchor":0,"head":0}""", ClientMessageReader.MaxSelections));

        var message = Read($$"""{"type":"selection","path":"p","selections":[{{selections}}]}""");

        Assert.That(message.Selections, Has.Count.EqualTo(ClientMessageReader.MaxSelections));
    }

    [Test]
    public void ALeaveNamesItsDocument()
    {
        var message = Read("""{"type":"leave","path":"a/b.txt"}""");

        Assert.That(message, Is.EqualTo(new ClientMessage("leave", "a/b.txt")));
    }

    [Test]
    public void UnknownFieldsAreIgnored()
    {
        var message = Read("""{"type":"leave","future":{"nested":[1,{"a":null}]},"path":"p","also":"x"}""");

        Assert.That(message, Is.EqualTo(new ClientMessage("leave", "p")));
    }

    [Test]
    public void WhitespaceAroundTheMessageIsAllowed()
    {
        var message = Read(" \r\n\t{ \"type\" : \"leave\" , \"path\" : \"p\" }\n ");

        Assert.That(message.Type, Is.EqualTo("leave"));
    }
}
