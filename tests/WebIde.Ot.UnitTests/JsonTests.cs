using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace WebIde.Ot.UnitTests;

public sealed class JsonTests
{
    private sealed record Frame(int Revision, TextOperation Op);

    [Test]
    public void Json_round_trips_in_ot_js_form()
    {
        const string json = """[3,"x",-2,1]""";
        var operation = TextOperation.FromJson(json);

        Assert.Multiple(() =>
        {
            Assert.That(operation.Components, Is.EqualTo(new OpComponent[] { new RetainOp(3), new InsertOp("x"), new DeleteOp(2), new RetainOp(1) }));
            Assert.That(operation.ToJson(), Is.EqualTo(json));
            Assert.That(operation.ToString(), Is.EqualTo(json));
        });
    }

    [Test]
    public void Strings_are_escaped_as_JSON_stringify_escapes_them()
    {
        var operation = TextOperation.CreateBuilder().Insert("\"\\/\b\f\n\r\t\u0001\u001f\u007f\u2028é😀\ud83d.\ude00").ToOperation();

        Assert.That(operation.ToJson(), Is.EqualTo("""["\"\\/\b\f\n\r\t\u0001\u001f""" + "\u007f\u2028é😀" + """\ud83d.\ude00"]"""));
    }

    [Test]
    public void Escapes_read_back_to_the_code_units_they_name_lone_surrogates_included()
    {
        var operation = TextOperation.FromJson("""["\uD83D\/\u00e9\ud83d\ude00\ude00\"\\\b\f\n\r\t"]""");

        Assert.That(((InsertOp)operation.Components[0]).Text, Is.EqualTo("\ud83d/é😀\ude00\"\\\b\f\n\r\t"));
    }

    [Test]
    public void The_serializer_uses_the_converter_inside_messages_whatever_the_encoder()
    {
        var frame = new Frame(7, TextOperation.FromJson("""[1,"😀\ud83d",-1]"""));
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.Default };

        var json = JsonSerializer.Serialize(frame, options);
        var back = JsonSerializer.Deserialize<Frame>(json, options);

        Assert.Multiple(() =>
        {
            Assert.That(json, Is.EqualTo("""{"revision":7,"op":[1,"😀\ud83d",-1]}"""));
            Assert.That(back, Is.EqualTo(frame));
        });
    }

    [Test]
    public void A_reader_over_several_segments_reads_the_same_operation()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"revision":1,"op":[12,"ab\u00e9cd😀efgh",-3]}""");
        var first = new Segment(bytes.AsMemory(0, 25));
        var last = first.Append(bytes.AsMemory(25));
        var reader = new Utf8JsonReader(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length));

        var frame = JsonSerializer.Deserialize<Frame>(ref reader, new JsonSerializerOptions(JsonSerializerDefaults.Web));

        Assert.That(frame!.Op.ToJson(), Is.EqualTo("""[12,"abécd😀efgh",-3]"""));
    }

    [Test]
    public void Empty_inserts_are_accepted_and_dropped_as_ot_js_does() =>
        Assert.That(TextOperation.FromJson("""["",3,""]""").ToJson(), Is.EqualTo("[3]"));

    [TestCase("", TestName = "empty input")]
    [TestCase("1", TestName = "a number")]
    [TestCase("{}", TestName = "an object")]
    [TestCase("null", TestName = "null")]
    [TestCase("[0]", TestName = "zero")]
    [TestCase("[-0]", TestName = "negative zero")]
    [TestCase("[1.5]", TestName = "a fraction")]
    [TestCase("[1.0]", TestName = "an integer written as a fraction")]
    [TestCase("[1e2]", TestName = "an exponent")]
    [TestCase("[2147483648]", TestName = "a retain beyond int")]
    [TestCase("[-2147483648]", TestName = "a delete beyond int")]
    [TestCase("[2147483647,1]", TestName = "a total beyond int")]
    [TestCase("[null]", TestName = "a null component")]
    [TestCase("[true]", TestName = "a boolean component")]
    [TestCase("[[1]]", TestName = "a nested array")]
    [TestCase("""[{"retain":1}]""", TestName = "an object component")]
    [TestCase("[1,", TestName = "an unclosed array")]
    [TestCase("[1,]", TestName = "a trailing comma")]
    [TestCase("[1] [2]", TestName = "two values")]
    [TestCase("[1]x", TestName = "trailing garbage")]
    [TestCase("[1 /* c */]", TestName = "a comment")]
    public void Malformed_json_is_refused(string json) =>
        Assert.That(() => TextOperation.FromJson(json), Throws.InstanceOf<JsonException>());

    [Test]
    public void Invalid_utf8_in_an_insert_is_refused() =>
        Assert.That(() => TextOperation.FromJson([(byte)'[', (byte)'"', 0xC3, (byte)'"', (byte)']']), Throws.InstanceOf<JsonException>());

    [Test]
    public void A_refusal_says_which_component_is_wrong_and_why()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => TextOperation.FromJson("""[1,"a",1.5]"""), Throws.InstanceOf<JsonException>()
                .With.Message.Contains("Component 2").And.Message.Contains("1.5").And.Message.Contains("non-zero integer"));
            Assert.That(() => TextOperation.FromJson("""{"ops":[]}"""), Throws.InstanceOf<JsonException>()
                .With.Message.Contains("JSON array, not an object"));
        });
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
