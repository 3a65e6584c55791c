namespace WebIde.Tests.Shared.Tls;

/// <summary>
/// A test fixture with the internal CA a deployment names (<see cref="Authority"/>) and another
/// one nobody trusts (<see cref="Stranger"/>), made once per fixture before its own set-up and
/// removed after its own tear-down (so after any server that used their certificates).
/// </summary>
public abstract class TwoAuthorities
{
    private protected TestAuthority Authority { get; private set; } = null!;

    private protected TestAuthority Stranger { get; private set; } = null!;

    [OneTimeSetUp]
    public void MakeAuthorities()
    {
        Authority = new TestAuthority();
        Stranger = new TestAuthority();
    }

    [OneTimeTearDown]
    public void RemoveAuthorities()
    {
        Authority?.Dispose();
        Stranger?.Dispose();
    }
}
