using WebIde.Identity.Tokens;

namespace WebIde.Identity.Apis;

public sealed record JsonWebKeySetResponse(IReadOnlyList<PublishedKey> Keys);
