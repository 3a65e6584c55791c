namespace WebIde.Bench;

/// <summary>What ends a language's measurement, or one request of it: the socket closed, an error answer, no answer in time.</summary>
public sealed class LspFailure(string message) : Exception(message);
