using System.Text.Json;

namespace WebIde.Ot.UnitTests;

/// <summary>Every result is compared as the JSON text ot.js produced, byte for byte.</summary>
public sealed class VectorTests
{
    private static IEnumerable<TestCaseData> Cases() => OtJsVectors.Section("cases");

    private static IEnumerable<TestCaseData> Normalizations() => OtJsVectors.Section("normalize");

    private static IEnumerable<TestCaseData> Errors() => OtJsVectors.Section("errors");

    [Test]
    public void The_vectors_come_from_the_pinned_ot_js_and_are_enough()
    {
        Assert.Multiple(() =>
        {
            Assert.That(OtJsVectors.Root.GetProperty("ot").GetString(), Is.EqualTo("0.0.15"));
            Assert.That(OtJsVectors.Root.GetProperty("cases").GetArrayLength(), Is.GreaterThanOrEqualTo(1000));
        });
    }

    [TestCaseSource(nameof(Cases))]
    public void Operations_behave_as_in_ot_js(JsonElement vector)
    {
        var doc = OtJsVectors.Text(vector.GetProperty("doc"));
        var a = OtJsVectors.Operation(vector.GetProperty("a"));
        var b = OtJsVectors.Operation(vector.GetProperty("b"));
        var c = OtJsVectors.Operation(vector.GetProperty("c"));
        var afterA = a.Apply(doc);
        var composed = TextOperation.Compose(a, c);
        var (aPrime, bPrime) = TextOperation.Transform(a, b);
        var lengths = vector.GetProperty("lengths").EnumerateArray().Select(length => length.GetInt32());
        var noops = vector.GetProperty("noop").EnumerateArray().Select(noop => noop.GetBoolean());

        Assert.Multiple(() =>
        {
            Assert.That(a.ToJson(), Is.EqualTo(Raw(vector, "a")));
            Assert.That(b.ToJson(), Is.EqualTo(Raw(vector, "b")));
            Assert.That(c.ToJson(), Is.EqualTo(Raw(vector, "c")));
            Assert.That(new[] { a.BaseLength, a.TargetLength, b.BaseLength, b.TargetLength, c.BaseLength, c.TargetLength }, Is.EqualTo(lengths));
            Assert.That(new[] { a.IsNoop, b.IsNoop, c.IsNoop }, Is.EqualTo(noops));
            Assert.That(OtJsVectors.Quote(afterA), Is.EqualTo(Raw(vector, "applyA")));
            Assert.That(OtJsVectors.Quote(b.Apply(doc)), Is.EqualTo(Raw(vector, "applyB")));
            Assert.That(composed.ToJson(), Is.EqualTo(Raw(vector, "compose")));
            Assert.That(OtJsVectors.Quote(composed.Apply(doc)), Is.EqualTo(Raw(vector, "applyCompose")));
            // Through the serializer, as the service will send them.
            Assert.That(JsonSerializer.Serialize(new[] { aPrime, bPrime }), Is.EqualTo(Raw(vector, "transform")));
            Assert.That(OtJsVectors.Quote(bPrime.Apply(afterA)), Is.EqualTo(Raw(vector, "applyTransform")));
            Assert.That(a.Invert(doc).ToJson(), Is.EqualTo(Raw(vector, "invertA")));
            Assert.That(c.Invert(afterA).ToJson(), Is.EqualTo(Raw(vector, "invertC")));
        });
    }

    [TestCaseSource(nameof(Normalizations))]
    public void Unnormalized_json_is_normalized_as_ot_js_does(JsonElement vector)
    {
        var operation = TextOperation.FromJson(Raw(vector, "input"));

        Assert.Multiple(() =>
        {
            Assert.That(operation.ToJson(), Is.EqualTo(Raw(vector, "output")));
            Assert.That(operation.BaseLength, Is.EqualTo(vector.GetProperty("baseLength").GetInt32()));
            Assert.That(operation.TargetLength, Is.EqualTo(vector.GetProperty("targetLength").GetInt32()));
            Assert.That(operation.IsNoop, Is.EqualTo(vector.GetProperty("noop").GetBoolean()));
        });
    }

    [TestCaseSource(nameof(Errors))]
    public void What_ot_js_refuses_is_refused(JsonElement vector)
    {
        var message = vector.GetProperty("error").GetString();
        switch (vector.GetProperty("kind").GetString())
        {
            case "apply":
                var op = OtJsVectors.Operation(vector.GetProperty("op"));
                var doc = OtJsVectors.Text(vector.GetProperty("doc"));
                Assert.That(() => op.Apply(doc), Throws.TypeOf<TextOperationException>().With.Message.EqualTo(message));
                break;
            case "compose":
                var first = OtJsVectors.Operation(vector.GetProperty("a"));
                var second = OtJsVectors.Operation(vector.GetProperty("b"));
                Assert.That(() => TextOperation.Compose(first, second), Throws.TypeOf<TextOperationException>().With.Message.EqualTo(message));
                break;
            case "transform":
                var left = OtJsVectors.Operation(vector.GetProperty("a"));
                var right = OtJsVectors.Operation(vector.GetProperty("b"));
                Assert.That(() => TextOperation.Transform(left, right), Throws.TypeOf<TextOperationException>().With.Message.EqualTo(message));
                break;
            case "fromJSON":
                var json = Raw(vector, "json");
                Assert.That(() => TextOperation.FromJson(json), Throws.InstanceOf<JsonException>());
                break;
            default:
                Assert.Fail($"Unknown kind of error vector: {vector}");
                break;
        }
    }

    private static string Raw(JsonElement vector, string property) => vector.GetProperty(property).GetRawText();
}
