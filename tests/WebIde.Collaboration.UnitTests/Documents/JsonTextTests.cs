using System.Text;
using System.Text.Json;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Documents;

/// <summary>How a document's text is kept in Redis (quoted) and how strings of client frames are read.</summary>
public sealed class JsonTextTests
{
    [Test]
    public void QuotedTextReadsBackWithItsLoneSurrogates()
    {
        var random = new RandomText(99);
        for (var i = 0; i < 1_000; i++)
        {
            var text = random.Next(50, loneSurrogates: true) + "\"\\\u0001";

            Assert.That(JsonText.Unquote(JsonText.Quote(text)), Is.EqualTo(text));
        }
    }

    [Test]
    public void QuotedTextIsWhatJavaScriptWouldWrite()
    {
        const string text = "a\ud83d\"😀\n\ude00";

        Assert.That(JsonText.Quote(text), Is.EqualTo(JavaScriptJson.Stringify(text)));
    }

    [Test]
    public void AStringTokenKeepsALoneSurrogateEscape()
    {
        var reader = new Utf8JsonReader("\"x\\uD83Dy\""u8);
        reader.Read();

        Assert.That(JsonText.ReadString(ref reader), Is.EqualTo("x\ud83dy"));
    }

    [TestCase(false, TestName = "without an escape")]
    [TestCase(true, TestName = "beside an escape")]
    public void AStringTokenThatIsNotUtf8IsAJsonError(bool escaped)
    {
        var json = Encoding.ASCII.GetBytes(escaped ? "\"\\n?\"" : "\"?\"");
        json[^2] = 0xFF;

        Assert.That(() =>
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            return JsonText.ReadString(ref reader);
        }, Throws.InstanceOf<JsonException>());
    }

    [Test]
    public void ATokenThatIsNotAStringIsAJsonError()
    {
        Assert.That(() =>
        {
            var reader = new Utf8JsonReader("12"u8);
            reader.Read();
            return JsonText.ReadString(ref reader);
        }, Throws.InstanceOf<JsonException>());
    }
}
