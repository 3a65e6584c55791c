using System.Globalization;
using StackExchange.Redis;
using WebIde.Collaboration.Documents;
using WebIde.Ot;

namespace WebIde.Collaboration.Storage;

/// <summary>
/// The one place every collaboration instance agrees on a document's order of operations:
/// Redis, where a Lua script appends the next revision only if nobody took it first and
/// publishes it to the instances that have the document open. With Redis's append-only file
/// on, an appended operation survives the loss of any instance, so that is when it is acked.
/// </summary>
public sealed class DocumentStore(IConnectionMultiplexer redis)
{
    /// <summary>Documents with operations the filesystem has not received yet, scored by when the oldest came.</summary>
    public static readonly RedisKey DirtySet = "collab:dirty";

    private const string AppendScript = """
        local head = redis.call('HGET', KEYS[1], 'revision')
        if not head then return {3, 0} end
        local seen = redis.call('HGET', KEYS[3], ARGV[2])
        if seen then return {2, tonumber(seen)} end
        if tonumber(head) + 1 ~= tonumber(ARGV[1]) then return {1, tonumber(head)} end
        redis.call('XADD', KEYS[2], ARGV[1] .. '-1', 'e', ARGV[3], 'i', ARGV[2])
        redis.call('HSET', KEYS[3], ARGV[2], ARGV[1])
        redis.call('HSET', KEYS[1], 'revision', ARGV[1])
        redis.call('ZADD', KEYS[4], 'LT', ARGV[6], ARGV[5])
        redis.call('PUBLISH', ARGV[4], 'o' .. ARGV[3])
        return {0, tonumber(ARGV[1])}
        """;

    private const string CreateScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[1], 'revision', 0, 'base', 0, 'text', ARGV[1], 'fileVersion', ARGV[2], 'fileRevision', 0)
        redis.call('SADD', KEYS[2], ARGV[3])
        return 1
        """;

    private const string LoadScript = """
        local meta = redis.call('HMGET', KEYS[1], 'base', 'text', 'revision', 'fileVersion', 'fileRevision')
        if not meta[3] then return nil end
        return {meta, redis.call('XRANGE', KEYS[2], '-', '+')}
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
        if redis.call('HGET', KEYS[1], 'base') ~= ARGV[1] then return 0 end
        local gone = redis.call('XRANGE', KEYS[2], '-', ARGV[2] .. '-1')
        for _, entry in ipairs(gone) do
          local fields = entry[2]
          for i = 1, #fields, 2 do
            if fields[i] == 'i' then redis.call('HDEL', KEYS[3], fields[i + 1]) end
          end
        end
        redis.call('XTRIM', KEYS[2], 'MINID', (tonumber(ARGV[2]) + 1) .. '-0')
        redis.call('HSET', KEYS[1], 'base', ARGV[2], 'text', ARGV[3])
        return 1
        """;

    private const string DropScript = """
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
        redis.call('ZREM', KEYS[4], ARGV[1])
        redis.call('SREM', KEYS[5], ARGV[1])
        return 1
        """;

    public static RedisChannel Channel(DocumentKey key) => RedisChannel.Literal("collab:doc:" + key.Id);

    /// <summary>Presence or a notice for every instance with the document open; <paramref name="originClientId"/> does not get it back.</summary>
    public async Task PublishAsync(DocumentKey key, char kind, string originClientId, byte[] frame)
    {
        var origin = System.Text.Encoding.UTF8.GetBytes(originClientId);
        var message = new byte[2 + origin.Length + frame.Length];
        message[0] = (byte)kind;
        origin.CopyTo(message, 1);
        message[1 + origin.Length] = (byte)'\n';
        frame.CopyTo(message, 2 + origin.Length);
        await redis.GetSubscriber().PublishAsync(Channel(key), message);
    }

    /// <summary>Makes <paramref name="text"/> revision 0 of the document unless it already has state; true when it was made.</summary>
    public async Task<bool> CreateAsync(DocumentKey key, string text, long fileVersion)
    {
        var made = await redis.GetDatabase().ScriptEvaluateAsync(CreateScript,
            [Meta(key), WorkspaceIndex(key.WorkspaceId)],
            [JsonText.Quote(text), fileVersion, key.Id]);
        return (long)made == 1;
    }

    public async Task<StoredDocument?> LoadAsync(DocumentKey key)
    {
        var result = await redis.GetDatabase().ScriptEvaluateAsync(LoadScript, [Meta(key), Log(key)]);
        if (result.IsNull)
        {
            return null;
        }
        var parts = (RedisResult[])result!;
        var meta = (RedisValue[])parts[0]!;
        var entries = ((RedisResult[])parts[1]!).Select(ParseEntry).ToList();
        return new StoredDocument(
            (long)meta[0], JsonText.Unquote(meta[1]!), (long)meta[2], (long)meta[3], (long)meta[4], entries);
    }

    /// <summary>Operations after <paramref name="afterRevision"/>, or null when some of them were trimmed already (or the document has no state).</summary>
    public async Task<IReadOnlyList<LogEntry>?> ReadAfterAsync(DocumentKey key, long afterRevision)
    {
        var database = redis.GetDatabase();
        var head = (long?)await database.HashGetAsync(Meta(key), "revision");
        if (head is null)
        {
            return null;
        }
        var entries = (await database.StreamRangeAsync(Log(key), $"{afterRevision + 1}-1", "+"))
            .Select(entry => LogEntry.Parse((byte[])entry["e"]!))
            .ToList();
        if (head.Value > afterRevision && (entries.Count == 0 || entries[0].Revision != afterRevision + 1))
        {
            return null;
        }
        return entries;
    }

    public async Task<AppendResult> AppendAsync(DocumentKey key, LogEntry entry)
    {
        var json = entry.ToJson();
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(AppendScript,
            [Meta(key), Log(key), Ids(key), DirtySet],
            [entry.Revision, entry.Id, json, Channel(key).ToString(), key.Id, entry.AtUnixMs]))!;
        return new AppendResult((AppendOutcome)(int)result[0], (long)result[1]);
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

    /// <summary>Makes the text at <paramref name="newBase"/> the base and forgets the operations up to it.</summary>
    public async Task<bool> TrimAsync(DocumentKey key, long oldBase, long newBase, string newBaseText)
    {
        var done = await redis.GetDatabase().ScriptEvaluateAsync(TrimScript,
            [Meta(key), Log(key), Ids(key)],
            [oldBase.ToString(CultureInfo.InvariantCulture), newBase, JsonText.Quote(newBaseText)]);
        return (long)done == 1;
    }

    public async Task DropAsync(DocumentKey key) =>
        await redis.GetDatabase().ScriptEvaluateAsync(DropScript,
            [Meta(key), Log(key), Ids(key), DirtySet, WorkspaceIndex(key.WorkspaceId)],
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

    /// <summary>One instance at a time writes a document's snapshot; the lease lapses by itself if that instance dies.</summary>
    public Task<bool> TryLeaseAsync(DocumentKey key, string holder, TimeSpan lifetime) =>
        redis.GetDatabase().StringSetAsync(Lease(key), holder, lifetime, When.NotExists);

    public async Task ReleaseLeaseAsync(DocumentKey key, string holder)
    {
        var database = redis.GetDatabase();
        await database.ScriptEvaluateAsync(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
            [Lease(key)], [holder]);
    }

    private static LogEntry ParseEntry(RedisResult streamEntry)
    {
        var fields = (RedisResult[])((RedisResult[])streamEntry!)[1]!;
        for (var i = 0; i < fields.Length; i += 2)
        {
            if ((string?)fields[i] == "e")
            {
                return LogEntry.Parse((byte[])fields[i + 1]!);
            }
        }
        throw new InvalidOperationException("a log entry without its operation");
    }

    private static RedisKey Meta(DocumentKey key) => $"collab:{{{key.Id}}}:meta";

    private static RedisKey Log(DocumentKey key) => $"collab:{{{key.Id}}}:log";

    private static RedisKey Ids(DocumentKey key) => $"collab:{{{key.Id}}}:ids";

    private static RedisKey Lease(DocumentKey key) => $"collab:{{{key.Id}}}:lease";

    private static RedisKey WorkspaceIndex(Guid workspaceId) => $"collab:workspace:{workspaceId:N}";
}
