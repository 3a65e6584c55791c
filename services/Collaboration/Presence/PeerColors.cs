namespace WebIde.Collaboration.Presence;

/// <summary>A user's cursor color: the same for them on every instance and every connection.</summary>
public static class PeerColors
{
    private static readonly string[] Palette =
        ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324", "#800000", "#000075"];

    public static string For(Guid userId)
    {
        var bytes = userId.ToByteArray();
        var hash = 17;
        foreach (var b in bytes)
        {
            hash = unchecked((hash * 31) + b);
        }
        return Palette[(int)((uint)hash % (uint)Palette.Length)];
    }
}
