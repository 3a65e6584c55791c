namespace WebIde.Execution.LanguageServers;

/// <summary>JSON-RPC 2.0's error codes, as the relay answers a message it does not pass on.</summary>
public static class LspErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
}
