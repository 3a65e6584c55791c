using System.Globalization;
using System.Text;
using System.Text.Json;
using WebIde.Ot;

namespace WebIde.Collaboration.Documents;

/// <summary>
/// One operation in a document's log: it turned revision <c>Revision - 1</c> into
/// <see cref="Revision"/>. <see cref="ClientId"/> is the connection that sent it (or
/// <c>file</c> for a change made outside the editor); <see cref="Id"/> is the sender's id for it.
/// </summary>
public sealed record LogEntry(long Revision, TextOperation Op, string ClientId, string Id, Guid UserId, long AtUnixMs)
{
    private static readonly TextOperationJsonConverter OpReader = new();

    private readonly TextOperation _op = Op;
    private readonly string _opJson = Op.ToJson();

    public TextOperation Op
    {
        get => _op;
        init
        {
            _op = value;
            _opJson = value.ToJson();
        }
    }

    /// <summary>The operation's JSON, written once: the stored entry and every frame that carries it reuse it.</summary>
    public string OpJson => _opJson;

    /// <summary>
    /// What "applied at most once" is keyed on: a user's own ids, so one user's id can never
    /// swallow another's operation. A change merged from the file has one key whoever wrote it,
    /// so the snapshot writer and the event consumer cannot both merge the same version.
    /// </summary>
    public string DedupeKey => DedupeKeyOf(ClientId, UserId, Id);

    public static string DedupeKeyOf(string clientId, Guid userId, string id) => clientId == FileClientId ? id : $"{userId:N}/{id}";

    /// <summary>The <see cref="ClientId"/> of changes that came from the file rather than an editor.</summary>
    public const string FileClientId = "file";

    public string ToJson() => new StringBuilder()
        .Append("{\"revision\":").Append(Revision.ToString(CultureInfo.InvariantCulture))
        .Append(",\"op\":").Append(OpJson)
        .Append(",\"clientId\":").AppendQuoted(ClientId)
        .Append(",\"id\":").AppendQuoted(Id)
        .Append(",\"userId\":\"").Append(UserId.ToString("D")).Append('"')
        .Append(",\"at\":").Append(AtUnixMs.ToString(CultureInfo.InvariantCulture))
        .Append('}').ToString();

    public static LogEntry Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read();
        long revision = 0, at = 0;
        TextOperation? op = null;
        string clientId = "", id = "";
        var userId = Guid.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "revision":
                    revision = reader.GetInt64();
                    break;
                case "op":
                    op = OpReader.Read(ref reader, typeof(TextOperation), JsonSerializerOptions.Default);
                    break;
                case "clientId":
                    clientId = JsonText.ReadString(ref reader);
                    break;
                case "id":
                    id = JsonText.ReadString(ref reader);
                    break;
                case "userId":
                    userId = reader.GetGuid();
                    break;
                case "at":
                    at = reader.GetInt64();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return new LogEntry(revision, op ?? throw new JsonException("a log entry without an op"), clientId, id, userId, at);
    }
}
