using System.Buffers;
using System.Globalization;
using System.Text;
using StackExchange.Redis;
using WebIde.Collaboration.Documents;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.Collaboration.Storage;

/// <summary>
/// A document as Redis keeps it for every collaboration instance: the text at a base revision,
/// the operations after it, what the file holds, and who owns the document now. One instance
/// at a time owns a document (it claims it with a new epoch); every append carries the epoch,
/// so a stale owner's append is refused. With Redis's append-only file on, an appended
/// operation survives the loss of any instance, so that is when it is acknowledged.
/// <para>
/// Redis writes what it holds to disk, so the operations and the base text are sealed
/// (docs/api.md §7) before they reach it; the scripts only ever pass them along as opaque
/// values. What an earlier version stored in the clear is read as it is: the base text is
/// sealed at the next trim, and operations go with the history they belong to.
/// </para>
/// </summary>
public sealed class DocumentStore(IConnectionMultiplexer redis, ContentCipher cipher)
{
    private static readonly ContentPurpose Operation = new("collaboration/op");
    private static readonly ContentPurpose BaseText = new("collaboration/text");

    /// <summary>Documents with operations the filesystem has not received yet, scored by when the oldest came.</summary>
    public static readonly RedisKey DirtySet = "collab:dirty";

    // Appends a batch of consecutive operations if the caller still owns the document (its
    // epoch is the newest) and the batch starts right after the stored head.
    private const string AppendScript = """
        local meta = redis.call('HMGET', KEYS[1], 'revision', 'epoch')
        if not meta[1] then return {3, 0} end
        if meta[2] ~= ARGV[1] then return {4, tonumber(meta[2] or '0')} end
        local head = tonumber(meta[1])
        if head + 1 ~= tonumber(ARGV[2]) then return {1, head} end
        for i = 5, #ARGV do
          head = head + 1
          redis.call('XADD', KEYS[2], head .. '-1', 'e', ARGV[i])
        end
        redis.call('HSET', KEYS[1], 'revision', head)
        redis.call('ZADD', KEYS[3], 'LT', ARGV[4], ARGV[3])
        return {0, head}
        """;

    // A new owner: the epoch goes up (fencing the previous owner, which is also told at once on
    // the document's channel) and the state comes back in the same step.
    private const string ClaimScript = """
        if not redis.call('HGET', KEYS[1], 'revision') then return nil end
        local epoch = redis.call('HINCRBY', KEYS[1], 'epoch', 1)
        redis.call('HSET', KEYS[1], 'owner', ARGV[1])
        redis.call('PUBLISH', ARGV[2], 'k' .. ARGV[1] .. '\n' .. epoch)
        local meta = redis.call('HMGET', KEYS[1], 'base', 'text', 'revision', 'fileVersion', 'fileRevision')
        return {epoch, meta, redis.call('XRANGE', KEYS[2], '-', '+')}
        """;

    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'revision', 0, 'base', 0, 'text', ARGV[1], 'fileVersion', ARGV[2], 'fileRevision', 0, 'epoch', 0)
        redis.call('SADD', KEYS[2], ARGV[3])
        return 1
        """;

    private const string PersistedScript = """
        local known = tonumber(redis.call('HGET', KEYS[1], 'fileVersion') or '-1')
        if known < 0 or known > tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'fileVersion', ARGV[1], 'fileRevision', ARGV[2])
        if tonumber(redis.call('HGET', KEYS[1], 'revision')) > tonumber(ARGV[2]) then
          redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3])
        elseif tonumber(ARGV[5]) < 0 then
          redis.call('ZREM', KEYS[2], ARGV[3])
        else
          redis.call('ZADD', KEYS[2], ARGV[5], ARGV[3])
        end
        return 1
        """;

    private const string TrimScript = """
        if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
        if redis.call('HGET', KEYS[1], 'base') ~= ARGV[2] then return 0 end
        redis.call('XTRIM', KEYS[2], 'MINID', (tonumber(ARGV[3]) + 1) .. '-0')
        redis.call('HSET', KEYS[1], 'base', ARGV[3], 'text', ARGV[4])
        return 1
        """;

    private const string DropScript = """
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('ZREM', KEYS[3], ARGV[1])
        redis.call('SREM', KEYS[4], ARGV[1])
        return 1
        """;

    public static RedisChannel Channel(DocumentKey key) => RedisChannel.Literal("collab:doc:" + key.Id);

    /// <summary>
    /// A notice for the instance that has the document open: <c>c</c> (closed; the payload is the
    /// frame for its editors), <c>m</c> (its file changed; the payload is the version) or
    /// <c>k</c> (claimed). Returns how many instances heard it.
    /// </summary>
    public Task<long> PublishAsync(DocumentKey key, char kind, string origin, ReadOnlySpan<byte> payload) =>
        redis.GetSubscriber().PublishAsync(Channel(key), ChannelMessage(kind, origin, payload));

    private static byte[] ChannelMessage(char kind, string origin, ReadOnlySpan<byte> payload)
    {
        var originBytes = System.Text.Encoding.UTF8.GetBytes(origin);
        var message = new byte[2 + originBytes.Length + payload.Length];
        message[0] = (byte)kind;
        originBytes.CopyTo(message, 1);
        message[1 + originBytes.Length] = (byte)'\n';
        payload.CopyTo(message.AsSpan(2 + originBytes.Length));
        return message;
    }

    /// <summary>Makes <paramref name="text"/> revision 0 of the document unless it already has state; true when it was made.</summary>
    public async Task<bool> CreateAsync(DocumentKey key, string text, long fileVersion)
    {
        var made = await redis.GetDatabase().ScriptEvaluateAsync(CreateScript,
            [Meta(key), WorkspaceIndex(key.WorkspaceId)],
            [SealText(text), fileVersion, key.Id]);
        return (long)made == 1;
    }

    /// <summary>
    /// Takes the document over for <paramref name="owner"/>: a new epoch, which fences whoever
    /// owned it before, and its state; null when it has no state (never opened, or dropped).
    /// </summary>
    public async Task<ClaimedDocument?> ClaimAsync(DocumentKey key, string owner)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(ClaimScript, [Meta(key), Log(key)], [owner, Channel(key).ToString()]);
        if (result.IsNull)
        {
            return null;
        }
        var parts = (RedisResult[])result!;
        var meta = (RedisValue[])parts[1]!;
        var entries = ((RedisResult[])parts[2]!).Select(ParseEntry).ToList();
        var stored = new StoredDocument((long)meta[0], OpenText((byte[])meta[1]!), (long)meta[2], (long)meta[3], (long)meta[4], entries);
        return new ClaimedDocument((long)parts[0], stored);
    }

    /// <summary>Who owns the document and which file version it holds; null when it has no state.</summary>
    public async Task<(string? Owner, long FileVersion)?> OwnerAsync(DocumentKey key)
    {
        var values = await redis.GetDatabase().HashGetAsync(Meta(key), ["owner", "fileVersion"]);
        return values[1].IsNull ? null : ((string?)values[0], (long)values[1]);
    }

    /// <summary>
    /// Appends each batch (consecutive operations of one document) if its epoch still owns the
    /// document and it starts right after the stored head. Every batch is written before any
    /// answer is awaited: one pipelined round trip for all of them.
    /// </summary>
    public IReadOnlyList<Task<RedisResult>> AppendAll(IReadOnlyList<CommitBatch> batches, long atUnixMs)
    {
        var pipeline = redis.GetDatabase().CreateBatch();
        var appends = new Task<RedisResult>[batches.Count];
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            var arguments = new RedisValue[4 + batch.Entries.Count];
            arguments[0] = batch.Epoch;
            arguments[1] = batch.FirstRevision;
            arguments[2] = batch.Key.Id;
            arguments[3] = atUnixMs;
            for (var i = 0; i < batch.Entries.Count; i++)
            {
                arguments[4 + i] = SealEntry(batch.Entries[i]);
            }
            appends[b] = pipeline.ScriptEvaluateAsync(AppendScript, [Meta(batch.Key), Log(batch.Key), DirtySet], arguments);
        }
        pipeline.Execute();
        return appends;
    }

    public static AppendResult ReadAppendResult(RedisResult result)
    {
        var parts = (RedisResult[])result!;
        return new AppendResult((AppendOutcome)(int)parts[0], (long)parts[1]);
    }

    /// <summary>
    /// Records that the file now holds the text at <paramref name="fileRevision"/> as
    /// <paramref name="fileVersion"/>. The document is looked at again at once if operations came
    /// meanwhile, else at <paramref name="nextVisit"/> (to trim its history), or never.
    /// </summary>
    public async Task<bool> MarkPersistedAsync(DocumentKey key, long fileVersion, long fileRevision, DateTimeOffset now, DateTimeOffset? nextVisit)
    {
        var done = await redis.GetDatabase().ScriptEvaluateAsync(PersistedScript,
            [Meta(key), DirtySet],
            [fileVersion, fileRevision, key.Id, now.ToUnixTimeMilliseconds(), nextVisit?.ToUnixTimeMilliseconds() ?? -1]);
        return (long)done == 1;
    }

    /// <summary>Asks for the document to be written to its file at <paramref name="due"/> (or sooner if asked already).</summary>
    public Task ScheduleAsync(DocumentKey key, DateTimeOffset due) =>
        redis.GetDatabase().SortedSetAddAsync(DirtySet, key.Id, due.ToUnixTimeMilliseconds(), SortedSetWhen.LessThan);

    public Task UnscheduleAsync(DocumentKey key) => redis.GetDatabase().SortedSetRemoveAsync(DirtySet, key.Id);

    /// <summary>Makes the text at <paramref name="newBase"/> the base and forgets the operations up to it, if <paramref name="epoch"/> still owns the document.</summary>
    public async Task<bool> TrimAsync(DocumentKey key, long epoch, long oldBase, long newBase, string newBaseText)
    {
        var done = await redis.GetDatabase().ScriptEvaluateAsync(TrimScript,
            [Meta(key), Log(key)],
            [epoch, oldBase.ToString(CultureInfo.InvariantCulture), newBase, SealText(newBaseText)]);
        return (long)done == 1;
    }

    public async Task DropAsync(DocumentKey key) =>
        await redis.GetDatabase().ScriptEvaluateAsync(DropScript,
            [Meta(key), Log(key), DirtySet, WorkspaceIndex(key.WorkspaceId)],
            [key.Id]);

    /// <summary>Every document of the workspace that has state here.</summary>
    public async Task<IReadOnlyList<DocumentKey>> ListAsync(Guid workspaceId) =>
        (await redis.GetDatabase().SetMembersAsync(WorkspaceIndex(workspaceId)))
            .Select(member => DocumentKey.FromId(member!))
            .ToList();

    public async Task<IReadOnlyList<(DocumentKey Key, DateTimeOffset DirtySince)>> ListDirtyAsync(DateTimeOffset before, int count)
    {
        var members = await redis.GetDatabase().SortedSetRangeByScoreWithScoresAsync(
            DirtySet, double.NegativeInfinity, before.ToUnixTimeMilliseconds(), take: count);
        return members.Select(member => (DocumentKey.FromId(member.Element!), DateTimeOffset.FromUnixTimeMilliseconds((long)member.Score))).ToList();
    }

    private LogEntry ParseEntry(RedisResult streamEntry)
    {
        var fields = (RedisResult[])((RedisResult[])streamEntry!)[1]!;
        for (var i = 0; i < fields.Length; i += 2)
        {
            if ((string?)fields[i] == "e")
            {
                return OpenEntry((byte[])fields[i + 1]!);
            }
        }
        throw new InvalidOperationException("a log entry without its operation");
    }

    /// <summary>An operation as the log keeps it: its JSON, sealed. On the hot path: one array, the sealed value.</summary>
    private byte[] SealEntry(LogEntry entry) => SealUtf8(Operation, entry.ToJson());

    private LogEntry OpenEntry(byte[] stored)
    {
        if (!ContentCipher.IsSealed(stored))
        {
            return LogEntry.Parse(stored);
        }
        var json = ArrayPool<byte>.Shared.Rent(ContentCipher.PlaintextLength(stored));
        try
        {
            return LogEntry.Parse(json.AsSpan(0, cipher.Open(Operation, stored, json)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(json);
        }
    }

    /// <summary>The text as JSON (which keeps a lone surrogate, as ot.js may leave one), sealed.</summary>
    private byte[] SealText(string text) => SealUtf8(BaseText, JsonText.Quote(text));

    private string OpenText(byte[] stored) => JsonText.Unquote(cipher.OpenOrPlaintext(BaseText, stored));

    private byte[] SealUtf8(ContentPurpose purpose, string text)
    {
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            return cipher.Seal(purpose, utf8.AsSpan(0, Encoding.UTF8.GetBytes(text, utf8)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
    }

    private static RedisKey Meta(DocumentKey key) => $"collab:{{{key.Id}}}:meta";

    private static RedisKey Log(DocumentKey key) => $"collab:{{{key.Id}}}:log";

    private static RedisKey WorkspaceIndex(Guid workspaceId) => $"collab:workspace:{workspaceId:N}";
}
