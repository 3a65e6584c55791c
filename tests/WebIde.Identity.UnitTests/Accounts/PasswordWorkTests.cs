using Microsoft.Extensions.Hosting;
using WebIde.Identity.Accounts;

namespace WebIde.Identity.UnitTests.Accounts;

/// <summary>A burst of sign-ups and logins takes a bounded share of the cores and is refused with 503 beyond it, instead of starving identity.</summary>
public sealed class PasswordWorkTests
{
    [Test]
    public async Task WhenEveryTurnIsTakenTheNextIsRefusedAsBusyAndTakesATurnOnceOneIsFree()
    {
        var work = new PasswordWork();
        var turns = Math.Max(1, Environment.ProcessorCount / 2);
        using var release = new ManualResetEventSlim();
        using var started = new CountdownEvent(turns);
        var holding = Enumerable.Range(0, turns)
            .Select(_ => Task.Run(() => work.RunAsync(() => { started.Signal(); return release.Wait(TimeSpan.FromSeconds(30)); }, CancellationToken.None)))
            .ToList();
        Assert.That(started.Wait(TimeSpan.FromSeconds(10)), Is.True, "every turn taken");

        var refused = Assert.ThrowsAsync<BusyException>(() => work.RunAsync(() => true, CancellationToken.None));
        Assert.That(DependencyFailures.IsDependencyDown(refused!), Is.True, "answered 503 with Retry-After");

        release.Set();
        await Task.WhenAll(holding);
        Assert.That(await work.RunAsync(() => 42, CancellationToken.None), Is.EqualTo(42));
    }
}
