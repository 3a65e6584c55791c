namespace WebIde.Execution.LanguageServers;

/// <summary>How the socket of docs/api.md §6 closes when the server side ends it.</summary>
public static class LspCloseCodes
{
    public const int BadToken = 4001;
    public const int NoRole = 4003;
    public const int NoServer = 4004;
    public const int TooManyServers = 4008;
}
