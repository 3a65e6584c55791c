namespace WebIde.Identity.Storage;

public interface ISigningKeyStore
{
    Task<IReadOnlyList<SigningKeyRecord>> ListAsync(CancellationToken cancellationToken);

    Task AddAsync(SigningKeyRecord key, CancellationToken cancellationToken);
}
