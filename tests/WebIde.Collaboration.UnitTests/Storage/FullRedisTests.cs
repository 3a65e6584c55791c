using StackExchange.Redis;
using WebIde.Collaboration.Sockets;
using WebIde.Collaboration.Storage;
using WebIde.Collaboration.UnitTests.Support;

namespace WebIde.Collaboration.UnitTests.Storage;

/// <summary>
/// Redis at its maxmemory with the platform's noeviction policy refuses writes: an editor is
/// told to come back later (close 1013), nothing is acknowledged that was not stored, and the
/// document is as it was. This class's Redis is its own, so filling it disturbs no other test.
/// </summary>
public sealed class FullRedisTests : RedisFixture
{
    [Test]
    public async Task AnOperationRedisHasNoRoomForClosesTheEditorWithTryAgainLaterAndStoresNothing()
    {
        var key = NewKey();
        await using var instance = new CollaborationInstance(Redis.Connection);
        await CollaborationInstance.CreateAsync(instance.Store, key, "abc");
        var (ana, onInstance) = await instance.JoinAsync(key);
        await ana.NextAsync("joined");

        await using var admin = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{Redis.Port},allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        await server.ConfigSetAsync("maxmemory-policy", "noeviction");
        await server.ConfigSetAsync("maxmemory", "1");
        try
        {
            onInstance.Submit(ana, Op(key, 0, "ana-1", Ops.Insert(3, 3, "!")));
            await Poll.UntilAsync(() => ana.CloseReason is not null, "the editor is closed");
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", "0");
        }

        var stored = await new DocumentStore(Redis.Connection, TestKeys.Cipher).ClaimAsync(key, "reader");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(ana.CloseReason!.Value.Code, Is.EqualTo(CollabConnection.TryAgainLater));
            Assert.That(ana.CloseReason!.Value.Reason, Does.Contain("full"));
            Assert.That(ana.Drain().Select(frame => frame.GetProperty("type").GetString()), Has.None.EqualTo("ack"));
            Assert.That(stored!.Stored.Revision, Is.Zero);
            Assert.That(stored.Stored.TextAt(0), Is.EqualTo("abc"));
        }
    }
}
