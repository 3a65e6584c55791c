using System.Text;
using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.UnitTests.Sockets;

public sealed class ClientMessageReaderRejectionTests
{
    private static readonly string TooLongId = new('i', ClientMessageReader.MaxIdLength + 1);

    private static readonly string TooManySelections =
        string.Join(",", Enumerable.Repeat("""{"anchor":0,"head":0}""", ClientMessageReader.MaxSelections + 1));

    public static IEnumerable<TestCaseData> NotOneJsonObject() =>
    [
        new TestCaseData("").SetName("empty"),
        new TestCaseData("hello").SetName("not JSON"),
        new TestCaseData("{").SetName("unclosed object"),
        new TestCaseData("""{"type":"leave","path":"p" """).SetName("unclosed object after fields"),
        new TestCaseData("""{"type":"leave","path":"p",}""").SetName("trailing comma"),
        new TestCaseData("""{type:"leave",path:"p"}""").SetName("unquoted names"),
        new TestCaseData("""{'type':'leave','path':'p'}""").SetName("single quotes"),
        new TestCaseData("null").SetName("null"),
        new TestCaseData("42").SetName("a number"),
        new TestCaseData("\"leave\"").SetName("a string"),
        new TestCaseData("""[{"type":"leave","path":"p"}]""").SetName("an array"),
        new TestCaseData("""{"type":"leave","path":"p"}{"type":"leave","path":"p"}""").SetName("two objects"),
        new TestCaseData("""{"type":"leave","path":"p"} {}""").SetName("two objects with space"),
        new TestCaseData("""{"type":"leave","path":"p"} x""").SetName("trailing garbage"),
        new TestCaseData("""{"type":"leave","path":"p"}/**/""").SetName("trailing comment"),
    ];

    public static IEnumerable<TestCaseData> BadFields() =>
    [
        new TestCaseData("""{"type":"leave"}""").SetName("missing path"),
        new TestCaseData("""{"type":"join"}""").SetName("join without path"),
        new TestCaseData("""{"type":"join","path":null}""").SetName("null path"),
        new TestCaseData("""{"type":"join","path":7}""").SetName("numeric path"),
        new TestCaseData("""{"type":"join","path":["p"]}""").SetName("array path"),
        new TestCaseData("""{"path":"p"}""").SetName("missing type"),
        new TestCaseData("""{"type":"JOIN","path":"p"}""").SetName("type in the wrong case"),
        new TestCaseData("""{"type":"delete","path":"p"}""").SetName("unknown type"),
        new TestCaseData("""{"type":1,"path":"p"}""").SetName("numeric type"),
        new TestCaseData("""{"type":"join","path":"p","revision":-1}""").SetName("negative join revision"),
        new TestCaseData("""{"type":"join","path":"p","revision":"3"}""").SetName("string join revision"),
        new TestCaseData("""{"type":"op","path":"p","revision":0,"op":[]}""").SetName("op without id"),
        new TestCaseData("""{"type":"op","path":"p","revision":0,"id":"","op":[]}""").SetName("op with empty id"),
        new TestCaseData("""{"type":"op","path":"p","revision":0,"id":null,"op":[]}""").SetName("op with null id"),
        new TestCaseData("""{"type":"op","path":"p","revision":0,"id":5,"op":[]}""").SetName("op with numeric id"),
        new TestCaseData($$"""{"type":"op","path":"p","revision":0,"id":"{{TooLongId}}","op":[]}""").SetName("op with too long id"),
        new TestCaseData("""{"type":"op","path":"p","id":"1","op":[]}""").SetName("op without revision"),
        new TestCaseData("""{"type":"op","path":"p","revision":null,"id":"1","op":[]}""").SetName("op with null revision"),
        new TestCaseData("""{"type":"op","path":"p","revision":0,"id":"1"}""").SetName("op without op"),
        new TestCaseData("""{"type":"selection","path":"p"}""").SetName("selection without selections"),
        new TestCaseData("""{"type":"selection","path":"p","selections":null}""").SetName("null selections"),
        new TestCaseData("""{"type":"selection","path":"p","selections":{"anchor":0,"head":0}}""").SetName("selections not an array"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[1]}""").SetName("selection that is a number"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":0,"head":0},1]}""").SetName("second selection a number"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[[0,0]]}""").SetName("selection that is an array"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":0}]}""").SetName("selection without head"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"head":0}]}""").SetName("selection without anchor"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":-1,"head":0}]}""").SetName("negative anchor"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":0,"head":-5}]}""").SetName("negative head"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":"1","head":0}]}""").SetName("string anchor"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":null,"head":0}]}""").SetName("null anchor"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":1.5,"head":0}]}""").SetName("fractional anchor"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":0,"head":3000000000}]}""").SetName("head beyond int"),
        new TestCaseData("""{"type":"selection","path":"p","selections":[{"anchor":1e2,"head":0}]}""").SetName("anchor with exponent"),
        new TestCaseData($$"""{"type":"selection","path":"p","selections":[{{TooManySelections}}]}""").SetName("too many selections"),
    ];

    public static IEnumerable<TestCaseData> NotOtJsOperations() =>
    [
        new TestCaseData("[0]").SetName("zero"),
        new TestCaseData("[1.5]").SetName("fraction"),
        new TestCaseData("[-1.5]").SetName("negative fraction"),
        new TestCaseData("[1e2]").SetName("exponent"),
        new TestCaseData("[true]").SetName("boolean"),
        new TestCaseData("[null]").SetName("null component"),
        new TestCaseData("[[1]]").SetName("nested array"),
        new TestCaseData("""[{"retain":1}]""").SetName("object component"),
        new TestCaseData("[2147483648]").SetName("retain beyond int"),
        new TestCaseData("[-2147483648]").SetName("delete of int min"),
        new TestCaseData("[2147483647,2147483647]").SetName("base length beyond int"),
        new TestCaseData("\"abc\"").SetName("a string"),
        new TestCaseData("{}").SetName("an object"),
        new TestCaseData("3").SetName("a number"),
        new TestCaseData("null").SetName("null"),
    ];

    [TestCaseSource(nameof(NotOneJsonObject))]
    [TestCaseSource(nameof(BadFields))]
    public void AMalformedMessageIsAnInvalidOp(string json)
    {
        var refused = Refuse(Encoding.UTF8.GetBytes(json));

        Assert.That(refused.Code, Is.EqualTo(ErrorCodes.InvalidOp));
    }

    [TestCaseSource(nameof(NotOtJsOperations))]
    public void AnOpThatIsNotAnOtJsOperationIsAnInvalidOpCarryingItsId(string op)
    {
        var refused = Refuse(Encoding.UTF8.GetBytes($$"""{"type":"op","path":"p","revision":0,"id":"op-1","op":{{op}}}"""));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Code, Is.EqualTo(ErrorCodes.InvalidOp));
            Assert.That(refused.OperationId, Is.EqualTo("op-1"));
        }
    }

    [TestCase("""{"type":"op","path":"p","revision":0,"id":"op-1"}""", TestName = "op missing")]
    [TestCase("""{"type":"op","path":"p","id":"op-1","op":[]}""", TestName = "revision missing")]
    [TestCase("""{"type":"op","path":"p","id":"op-1","revision":-1,"op":[]}""", TestName = "negative revision after the id")]
    [TestCase("""{"type":"op","path":"p","id":"op-1","revision":0.5,"op":[]}""", TestName = "fractional revision after the id")]
    [TestCase("""{"type":"op","path":"p","id":"op-1","revision":"0","op":[]}""", TestName = "string revision after the id")]
    [TestCase("""{"type":"op","path":"p","revision":-1,"id":"op-1","op":[]}""", TestName = "negative revision before the id")]
    [TestCase("""{"type":"op","path":"p","revision":0,"op":[0],"id":"op-1"}""", TestName = "bad op before the id")]
    [TestCase("""{"type":"op","revision":0,"id":"op-1","op":[]}""", TestName = "path missing")]
    [TestCase("""{"type":"opp","path":"p","revision":0,"id":"op-1","op":[]}""", TestName = "unknown type")]
    [TestCase("""{"id":"op-1","type":"op","path":"p","revision":0,"op":[]} x""", TestName = "trailing garbage")]
    public void ARefusalCarriesTheIdWhenTheMessageHasOne(string json)
    {
        var refused = Refuse(Encoding.UTF8.GetBytes(json));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Code, Is.EqualTo(ErrorCodes.InvalidOp));
            Assert.That(refused.OperationId, Is.EqualTo("op-1"));
        }
    }

    [TestCase("""{"type":"op","path":"p","revision":0,"op":[]}""", TestName = "no id")]
    [TestCase("""{"type":"op","path":"p","revision":0,"id":"","op":[]}""", TestName = "empty id")]
    [TestCase("""{"type":"op","path":"p","revision":0,"id":7,"op":[]}""", TestName = "numeric id")]
    [TestCase("""{"type":"op","path":"p","revision":0,"id":{"a":"op-1"},"op":[]}""", TestName = "object id")]
    [TestCase("""{"type":"op","path":"p","revision":0,"meta":{"id":"op-1"},"op":[0]}""", TestName = "nested id only")]
    public void ARefusalCarriesNoIdWhenTheMessageHasNoUsableOne(string json)
    {
        var refused = Refuse(Encoding.UTF8.GetBytes(json));

        Assert.That(refused.OperationId, Is.Null);
    }

    [Test]
    public void ARefusalCarriesNoIdThatIsTooLong()
    {
        var refused = Refuse(Encoding.UTF8.GetBytes($$"""{"type":"op","path":"p","revision":0,"id":"{{TooLongId}}","op":[]}"""));

        Assert.That(refused.OperationId, Is.Null, "an id the protocol does not allow is not echoed back");
    }

    [TestCase("""{"type":"op","path":"src/a.py","revision":0,"id":"op-1","op":[0]}""", "src/a.py", TestName = "bad op")]
    [TestCase("""{"type":"opp","path":"src/a.py"}""", "src/a.py", TestName = "unknown type")]
    [TestCase("""{"type":"op","id":"op-1","revision":-1,"path":"src/a.py","op":[]}""", "src/a.py", TestName = "path after the fault")]
    [TestCase("""{"type":"leave","path":"src/a.py"} x""", "src/a.py", TestName = "trailing garbage")]
    [TestCase("""{"type":"leave","path":"src/a.py" """, "src/a.py", TestName = "unclosed object after the path")]
    public void ARefusalCarriesThePathWhenTheMessageHasOne(string json, string path)
    {
        var refused = Refuse(Encoding.UTF8.GetBytes(json));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Code, Is.EqualTo(ErrorCodes.InvalidOp));
            Assert.That(refused.Path, Is.EqualTo(path));
        }
    }

    [Test]
    public void ARefusedPathKeepsItsEscapesAndLoneSurrogates()
    {
        // Not a [TestCase]: an attribute's strings are stored as UTF-8, which has no lone surrogate.
        var refused = Refuse(Encoding.UTF8.GetBytes("""{"type":"op","path":"dir/\"q\" \u00e9\ud83d.py","op":[0]}"""));

        Assert.That(refused.Path, Is.EqualTo("dir/\"q\" é\ud83d.py"));
    }

    [TestCase("hello", TestName = "not JSON")]
    [TestCase("""["path","p"]""", TestName = "an array")]
    [TestCase("""{"type":"leave"}""", TestName = "no path")]
    [TestCase("""{"type":"join","path":7}""", TestName = "numeric path")]
    [TestCase("""{"type":"join","path":null}""", TestName = "null path")]
    [TestCase("""{"type":"join","x":{"path":"p"}}""", TestName = "nested path only")]
    [TestCase("""{"type":"join","op":[0,"p"} "path":"p"}""", TestName = "path after JSON that cannot be read")]
    public void ARefusalCarriesNoPathWhenTheMessageHasNoReadableOne(string json)
    {
        var refused = Refuse(Encoding.UTF8.GetBytes(json));

        Assert.That(refused.Path, Is.Null);
    }

    [Test]
    public void ARefusalCarriesTheIdAndThePathTogether()
    {
        var refused = Refuse(Encoding.UTF8.GetBytes("""{"path":"a.py","type":"op","revision":0,"op":[0],"id":"op-9"}"""));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.OperationId, Is.EqualTo("op-9"));
            Assert.That(refused.Path, Is.EqualTo("a.py"));
        }
    }

    public static IEnumerable<TestCaseData> PathsThatAreNotUtf8() =>
        from bad in new (string Name, byte[] Bytes)[] { ("invalid byte", [0xFF]), ("truncated sequence", [0xC3]), ("encoded surrogate", [0xED, 0xA0, 0xBD]) }
        from escape in new[] { "", "\\n" }
        select new TestCaseData(bad.Bytes, escape).SetName($"{bad.Name} in the path{(escape.Length == 0 ? "" : " beside an escape")}");

    [TestCaseSource(nameof(PathsThatAreNotUtf8))]
    public void APathThatIsNotUtf8IsAnInvalidOp(byte[] bad, string escape)
    {
        var frame = Encoding.UTF8.GetBytes("""{"type":"join","path":"a""" + escape)
            .Concat(bad).Concat(Encoding.UTF8.GetBytes("b\"}")).ToArray();

        var refused = Refuse(frame);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Code, Is.EqualTo(ErrorCodes.InvalidOp));
            Assert.That(refused.Path, Is.Null, "a path that is not text cannot be sent back");
        }
    }

    [Test]
    public void AnInsertThatIsNotUtf8IsAnInvalidOp()
    {
        var frame = Encoding.UTF8.GetBytes("""{"type":"op","path":"p","revision":0,"id":"1","op":["a""")
            .Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\"]}")).ToArray();

        Assert.That(Refuse(frame).Code, Is.EqualTo(ErrorCodes.InvalidOp));
    }

    [TestCase(1_000, TestName = "deep arrays in an unknown field")]
    public void DeeplyNestedJunkIsAnInvalidOp(int depth)
    {
        var json = """{"type":"leave","path":"p","x":""" + new string('[', depth) + new string(']', depth) + "}";

        Assert.That(Refuse(Encoding.UTF8.GetBytes(json)).Code, Is.EqualTo(ErrorCodes.InvalidOp));
    }

    private static ProtocolException Refuse(byte[] frame)
    {
        ClientMessage? accepted = null;
        Exception? thrown = null;
        try
        {
            accepted = ClientMessageReader.Read(frame);
        }
        catch (Exception exception)
        {
            thrown = exception;
        }
        return thrown switch
        {
            ProtocolException refused => refused,
            null => throw new AssertionException($"accepted as {accepted}"),
            _ => throw new AssertionException($"threw {thrown.GetType().Name} instead of a ProtocolException: {thrown.Message}"),
        };
    }
}
