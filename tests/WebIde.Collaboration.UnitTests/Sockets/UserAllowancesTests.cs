using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using WebIde.Collaboration.Documents;
using WebIde.Collaboration.Sockets;

namespace WebIde.Collaboration.UnitTests.Sockets;

public sealed class UserAllowancesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly CollaborationOptions _options = new() { UserBytesPerSecond = 1000, UserByteBurst = 10_000, MaxSocketsPerUser = 3 };

    private UserAllowances Allowances() => new(Options.Create(_options), _time);

    [Test]
    public void AUsersSocketsShareOneByteBudget()
    {
        var allowances = Allowances();
        var user = Guid.NewGuid();
        allowances.TryOpen(user, out var first);
        allowances.TryOpen(user, out var second);

        Assert.That(first!.TrySpend(6000), Is.True);
        Assert.That(second!.TrySpend(6000), Is.False, "the second socket draws on what the first one spent");
        Assert.That(second.TrySpend(4000), Is.True);
    }

    [Test]
    public void AnotherUsersBudgetIsUntouched()
    {
        var allowances = Allowances();
        allowances.TryOpen(Guid.NewGuid(), out var flooder);
        allowances.TryOpen(Guid.NewGuid(), out var typist);

        flooder!.TrySpend(10_000);

        Assert.That(flooder.TrySpend(10), Is.False);
        Assert.That(typist!.TrySpend(10), Is.True);
    }

    [Test]
    public void TheBudgetRefillsAtItsRate()
    {
        var allowances = Allowances();
        allowances.TryOpen(Guid.NewGuid(), out var allowance);
        allowance!.TrySpend(10_000);

        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.That(allowance.TrySpend(2000), Is.True);
        Assert.That(allowance.TrySpend(100), Is.False);
    }

    [Test]
    public void OneSocketMoreThanTheLimitIsRefusedUntilOneCloses()
    {
        var allowances = Allowances();
        var user = Guid.NewGuid();
        var open = Enumerable.Range(0, 3).Select(_ => allowances.TryOpen(user, out var allowance) ? allowance : null).ToList();

        Assert.That(allowances.TryOpen(user, out _), Is.False);
        Assert.That(allowances.TryOpen(Guid.NewGuid(), out _), Is.True, "another user has sockets of their own");
        open[0]!.Close();
        Assert.That(allowances.TryOpen(user, out _), Is.True);
    }

    [Test]
    public void ClosingEverySocketAndReconnectingDoesNotResetTheBudget()
    {
        var allowances = Allowances();
        var user = Guid.NewGuid();
        allowances.TryOpen(user, out var first);
        first!.TrySpend(10_000);
        first.Close();

        allowances.TryOpen(Guid.NewGuid(), out _);
        allowances.TryOpen(user, out var again);

        Assert.That(again!.TrySpend(1000), Is.False);
    }

    [Test]
    public void AUserWithNoSocketIsForgottenOnceTheirBudgetHasRefilled()
    {
        var allowances = Allowances();
        var user = Guid.NewGuid();
        allowances.TryOpen(user, out var first);
        first!.TrySpend(10_000);
        first.Close();

        _time.Advance(TimeSpan.FromSeconds(10));
        allowances.TryOpen(Guid.NewGuid(), out _);
        allowances.TryOpen(user, out var again);

        Assert.That(again!.TrySpend(10_000), Is.True);
    }
}
