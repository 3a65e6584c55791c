namespace WebIde.Collaboration.Sockets;

/// <summary>A client message refused with an error frame; the document is left as it was.</summary>
public sealed class ProtocolException(string code, string message, string? id = null) : Exception(message)
{
    public string Code => code;

    public string? OperationId => id;
}
