namespace WebIde.Identity.UnitTests.Apis;

/// <summary>
/// Tests of identity as its Program builds it, one host for the fixture; skipped where no
/// redis-server can be started.
/// </summary>
internal abstract class IdentityHostFixture
{
    private IdentityHost? _identity;

    protected IdentityHost Identity => _identity!;

    [OneTimeSetUp]
    public async Task StartIdentityAsync() => _identity = await IdentityHost.TryStartAsync();

    [OneTimeTearDown]
    public async Task StopIdentityAsync()
    {
        if (_identity is not null)
        {
            await _identity.DisposeAsync();
        }
    }

    [SetUp]
    public void RequireRedis()
    {
        if (_identity is null)
        {
            Assert.Ignore("No redis-server on the PATH.");
        }
    }
}
