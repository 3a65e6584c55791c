namespace WebIde.Ot;

/// <summary>
/// An operation that does not fit the document or the other operation. Messages are ot.js's
/// own, so a browser and the server report the same mismatch in the same words.
/// </summary>
public sealed class TextOperationException : Exception
{
    public TextOperationException()
    {
    }

    public TextOperationException(string message)
        : base(message)
    {
    }

    public TextOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
