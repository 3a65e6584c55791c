namespace WebIde.Identity.Accounts;

/// <summary>
/// How many password hashes this instance derives at once (half its cores, at least one), and how long a
/// sign-up or login waits for a turn before it is refused with 503. A hash costs about 0.3 s of a core; a
/// burst of sign-ups and logins would otherwise take every core, and identity's other work (token
/// refreshes, the services' membership checks) would wait behind it until clients time out and retry,
/// adding more hashes to the queue.
/// </summary>
public sealed class PasswordWork
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _turns = new(Math.Max(1, Environment.ProcessorCount / 2));

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (!await _turns.WaitAsync(MaxWait, cancellationToken))
        {
            throw new BusyException("Too many sign-ups and logins at once; try again shortly.");
        }
        try
        {
            return work();
        }
        finally
        {
            _turns.Release();
        }
    }
}
