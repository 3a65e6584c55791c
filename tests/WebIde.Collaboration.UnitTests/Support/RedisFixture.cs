using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;
using WebIde.Ot;
using WebIde.Tests.Shared;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>A real Redis for a test class's instances; the class is ignored on a machine without redis-server.</summary>
public abstract class RedisFixture
{
    protected LocalRedis Redis { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartRedisAsync()
    {
        Redis = await LocalRedis.TryStartAsync() ?? throw new IgnoreException("redis-server is not installed");
    }

    [OneTimeTearDown]
    public async Task StopRedisAsync()
    {
        if (Redis is not null)
        {
            await Redis.DisposeAsync();
        }
    }

    protected static DocumentKey NewKey() => new(Guid.NewGuid(), "src/main.py");

    protected static ClientMessage Op(DocumentKey key, long revision, string id, TextOperation op) =>
        new("op", key.Path, Revision: revision, Id: id, Op: op);
}
