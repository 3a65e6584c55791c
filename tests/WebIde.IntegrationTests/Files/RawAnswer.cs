using System.Text;

namespace WebIde.IntegrationTests.Files;

/// <summary>An HTTP answer as <see cref="RawHttp"/> read it off the socket.</summary>
public sealed record RawAnswer(int Status, string Head, byte[] Body)
{
    public string ContentType => Header("Content-Type") ?? "";

    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Head.Split("\r\n")
        .Select(line => line.Split(':', 2))
        .Where(parts => parts.Length == 2 && parts[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
        .Select(parts => parts[1].Trim())
        .FirstOrDefault();
}
