namespace WebIde.Collaboration.Sockets;

/// <summary>The error codes of the error frame (docs/api.md §4).</summary>
public static class ErrorCodes
{
    public const string Forbidden = "forbidden";
    public const string InvalidOp = "invalid_op";
    public const string UnknownRevision = "unknown_revision";
    public const string TooLarge = "too_large";
    public const string RateLimited = "rate_limited";
    public const string NotFound = "not_found";
}
