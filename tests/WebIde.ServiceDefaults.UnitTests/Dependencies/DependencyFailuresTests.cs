using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace WebIde.ServiceDefaults.UnitTests.Dependencies;

/// <summary>What a client is told to retry (503 with Retry-After) rather than reported as a bug (500).</summary>
public sealed class DependencyFailuresTests
{
    [TestCase("LOADING Redis is loading the dataset in memory", true)]
    [TestCase("OOM command not allowed when used memory > 'maxmemory'.", true)]
    [TestCase("ERR wrong number of arguments for 'get' command", false)]
    public void ARedisThatIsRestartingOrFullIsADependencyDownAndAnErrorOfTheCallIsNot(string reply, bool down)
    {
        Assert.That(DependencyFailures.IsDependencyDown(new RedisServerException(reply)), Is.EqualTo(down));
    }

    [Test]
    public void WorkAnInstanceRefusedForWantOfTurnsIsRetried() =>
        Assert.That(DependencyFailures.IsDependencyDown(new InvalidOperationException("wrapped", new BusyException("busy"))), Is.True);
}
