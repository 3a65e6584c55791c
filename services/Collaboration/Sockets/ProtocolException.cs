namespace WebIde.Collaboration.Sockets;

/// <summary>A client message refused with an error frame; the document is left as it was.</summary>
/// <param name="id">The refused message's id, so the client can match the refusal to its pending op.</param>
/// <param name="path">The refused message's path, so the client knows which document it was about.</param>
public sealed class ProtocolException(string code, string message, string? id = null, string? path = null) : Exception(message)
{
    public string Code => code;

    public string? OperationId => id;

    public string? Path => path;
}
