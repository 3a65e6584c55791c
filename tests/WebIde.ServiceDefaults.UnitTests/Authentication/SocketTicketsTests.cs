using StackExchange.Redis;
using WebIde.ServiceDefaults.Authentication;
using WebIde.Tests.Shared;

namespace WebIde.ServiceDefaults.UnitTests.Authentication;

/// <summary>Single-use WebSocket tickets (docs/api.md §7) in a real redis-server (ignored where there is none).</summary>
public sealed class SocketTicketsTests
{
    private const string AccessToken = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJl";

    private LocalRedis? _redis;
    private SocketTickets _tickets = null!;

    [OneTimeSetUp]
    public async Task StartRedisAsync() => _redis = await LocalRedis.TryStartAsync();

    [OneTimeTearDown]
    public async Task StopRedisAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [SetUp]
    public void CreateTickets()
    {
        if (_redis is null)
        {
            Assert.Ignore("No redis-server on the PATH.");
        }
        _tickets = new SocketTickets(_redis.Connection);
    }

    [Test]
    public async Task ATicketRedeemsToItsTokenOnceOnly()
    {
        var ticket = await _tickets.IssueAsync(AccessToken, SocketTickets.MaxLifetime);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _tickets.RedeemAsync(ticket), Is.EqualTo(AccessToken));
            Assert.That(await _tickets.RedeemAsync(ticket), Is.Null, "a spent ticket");
        }
    }

    [Test]
    public async Task OfTwoRedemptionsRacingWithOneTicketOnlyOneGetsTheToken()
    {
        var ticket = await _tickets.IssueAsync(AccessToken, SocketTickets.MaxLifetime);

        var redeemed = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _tickets.RedeemAsync(ticket)));

        Assert.That(redeemed.Count(token => token is not null), Is.EqualTo(1));
    }

    [Test]
    public async Task AnExpiredTicketRedeemsToNothing()
    {
        var ticket = await _tickets.IssueAsync(AccessToken, TimeSpan.FromMilliseconds(300));

        await Task.Delay(TimeSpan.FromMilliseconds(600));

        Assert.That(await _tickets.RedeemAsync(ticket), Is.Null);
    }

    [TestCase("")]
    [TestCase("not-a-ticket")]
    [TestCase("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task AnUnknownTicketRedeemsToNothing(string ticket)
    {
        Assert.That(await _tickets.RedeemAsync(ticket), Is.Null);
    }

    [Test]
    public async Task ATicketLivesAtMostThirtySeconds()
    {
        var ticket = await _tickets.IssueAsync(AccessToken, SocketTickets.MaxLifetime);
        var key = await SingleTicketKeyAsync();

        Assert.That(await Redis.KeyTimeToLiveAsync(key), Is.GreaterThan(TimeSpan.FromSeconds(29)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(async () => await _tickets.IssueAsync(AccessToken, TimeSpan.FromSeconds(31)), Throws.InstanceOf<ArgumentOutOfRangeException>());
        await _tickets.RedeemAsync(ticket);
    }

    /// <summary>Redis (and its files on disk) hold neither the ticket nor the token: a dump of it opens no socket.</summary>
    [Test]
    public async Task RedisHoldsNeitherTheTicketNorTheToken()
    {
        var ticket = await _tickets.IssueAsync(AccessToken, SocketTickets.MaxLifetime);
        var key = await SingleTicketKeyAsync();
        var value = (byte[])(await Redis.StringGetAsync(key))!;

        using (Assert.EnterMultipleScope())
        {
            Assert.That(key.ToString(), Does.Not.Contain(ticket));
            Assert.That(System.Text.Encoding.UTF8.GetString(value), Does.Not.Contain(AccessToken).And.Not.Contain(ticket));
            Assert.That(System.Text.Encoding.Latin1.GetString(value), Does.Not.Contain("eyJ"));
        }
        await _tickets.RedeemAsync(ticket);
    }

    [Test]
    public async Task AValueNotSealedForTheTicketRedeemsToNothingAndIsGone()
    {
        var ticket = await _tickets.IssueAsync(AccessToken, SocketTickets.MaxLifetime);
        var key = await SingleTicketKeyAsync();
        await Redis.StringSetAsync(key, new byte[40], TimeSpan.FromSeconds(30));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(await _tickets.RedeemAsync(ticket), Is.Null);
            Assert.That(await Redis.KeyExistsAsync(key), Is.False);
        }
    }

    private IDatabase Redis => _redis!.Connection.GetDatabase();

    private async Task<RedisKey> SingleTicketKeyAsync()
    {
        var server = _redis!.Connection.GetServers().Single();
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: "webide:socket-ticket:*"))
        {
            keys.Add(key);
        }
        Assert.That(keys, Has.Count.EqualTo(1), "one ticket outstanding");
        return keys[0];
    }
}
