namespace WebIde.Gateway.WebApp;

public sealed class WebAppOptions
{
    public const string Section = "WebApp";

    /// <summary>The folder <c>npm run build</c> wrote in <c>web/</c> (<c>web/dist</c>).</summary>
    public string Root { get; set; } = "";
}
