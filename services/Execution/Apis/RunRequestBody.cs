using System.Text;
using WebIde.Execution.Runs;

namespace WebIde.Execution.Apis;

/// <summary>
/// <c>POST /api/workspaces/{id}/runs</c>, and the fields of the socket's <c>run</c> message;
/// <see cref="Stdin"/> is text, sent as UTF-8.
/// </summary>
public sealed record RunRequestBody(string? Entry, string? Language, string? Stdin, IReadOnlyList<string>? Args, RunLimitsBody? Limits)
{
    public RunSubmission ToSubmission(Guid workspaceId) =>
        new(Language, null, workspaceId, Entry, Encoding.UTF8.GetBytes(Stdin ?? ""), Args ?? [], Limits?.TimeoutMs, Limits?.MemoryMb, Limits?.MaxOutputBytes);
}
