using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace WebIde.FileSystem.Files;

/// <summary>
/// A path inside a workspace as docs/api.md §3 spells it: relative, <c>/</c>-separated UTF-8 of
/// at most 1,024 bytes, segments of 1–255 bytes, no <c>.</c> or <c>..</c> segment, no
/// backslash and no control character. Paths are compared byte for byte (no case folding,
/// no Unicode normalization): what a user typed is what is stored.
/// </summary>
public static class WorkspacePath
{
    public const int MaxBytes = 1024;
    public const int MaxSegmentBytes = 255;

    public static bool TryValidate([NotNullWhen(true)] string? path, [NotNullWhen(false)] out string? error)
    {
        error = Check(path);
        return error is null;
    }

    private static string? Check(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return "The path is empty.";
        }
        if (path[0] == '/')
        {
            return "The path must be relative: it may not start with '/'.";
        }
        foreach (var character in path)
        {
            if (character == '\\')
            {
                return "The path may not contain a backslash; separate segments with '/'.";
            }
            if (char.IsControl(character))
            {
                return "The path may not contain control characters.";
            }
        }

        int byteCount;
        try
        {
            byteCount = Strict.GetByteCount(path);
        }
        catch (EncoderFallbackException)
        {
            return "The path is not valid UTF-8 (it holds an unpaired surrogate).";
        }
        if (byteCount > MaxBytes)
        {
            return $"The path is {byteCount} bytes long; at most {MaxBytes} are allowed.";
        }

        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0)
            {
                return "The path has an empty segment ('//' or a trailing '/').";
            }
            if (segment is "." or "..")
            {
                return "The path may not contain '.' or '..' segments.";
            }
            if (Strict.GetByteCount(segment) > MaxSegmentBytes)
            {
                return $"A path segment is longer than {MaxSegmentBytes} bytes.";
            }
        }

        return null;
    }

    /// <summary>The folder holding <paramref name="path"/>, or null at the top level.</summary>
    public static string? Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? null : path[..slash];
    }

    /// <summary>Every folder above <paramref name="path"/>, outermost first.</summary>
    public static IEnumerable<string> Ancestors(string path)
    {
        for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            yield return path[..slash];
        }
    }

    /// <summary>True when <paramref name="path"/> lies strictly inside the folder <paramref name="folder"/>.</summary>
    public static bool IsInside(string path, string folder) =>
        path.Length > folder.Length + 1
        && path[folder.Length] == '/'
        && path.StartsWith(folder, StringComparison.Ordinal);

    /// <summary><paramref name="path"/> (inside <paramref name="from"/> or equal to it) as it is after <paramref name="from"/> moves to <paramref name="to"/>.</summary>
    public static string Rebase(string path, string from, string to) =>
        path.Length == from.Length ? to : to + path[from.Length..];

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
