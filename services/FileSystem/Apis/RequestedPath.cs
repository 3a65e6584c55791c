using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using WebIde.FileSystem.Files;

namespace WebIde.FileSystem.Apis;

/// <summary>
/// Reads a file path from the request target as the client sent it. The router's value is
/// not used: by then dot segments have been resolved away (<c>a/../b</c> arrives as
/// <c>b</c>) and <c>%2F</c> left encoded, so a traversal attempt would silently touch another
/// file instead of being refused. Here each percent-escape is decoded once, the bytes must be
/// UTF-8, and the result must pass <see cref="WorkspacePath"/>.
/// </summary>
public static class RequestedPath
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The path after <c>/api/workspaces/{id}/{resource}/</c>.</summary>
    public static bool TryRead(HttpContext context, [NotNullWhen(true)] out string? path, [NotNullWhen(false)] out string? error)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target) || target[0] != '/')
        {
            target = (context.Request.PathBase + context.Request.Path).ToUriComponent();
        }
        var query = target.IndexOf('?');
        if (query >= 0)
        {
            target = target[..query];
        }

        // "/api/workspaces/{id}/{resource}/" is five slashes in.
        var start = 0;
        for (var slashes = 0; slashes < 5; slashes++)
        {
            start = target.IndexOf('/', start) + 1;
            if (start == 0)
            {
                path = null;
                error = "The path is empty.";
                return false;
            }
        }

        if (!TryDecode(target[start..], out path))
        {
            error = "The path is not valid percent-encoded UTF-8.";
            return false;
        }
        return WorkspacePath.TryValidate(path, out error);
    }

    private static bool TryDecode(string encoded, [NotNullWhen(true)] out string? decoded)
    {
        decoded = null;
        var bytes = new List<byte>(encoded.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var index = 0; index < encoded.Length; index++)
        {
            var character = encoded[index];
            if (character == '%')
            {
                if (index + 2 >= encoded.Length
                    || !byte.TryParse(encoded.AsSpan(index + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
                {
                    return false;
                }
                bytes.Add(value);
                index += 2;
            }
            else if (char.IsSurrogate(character))
            {
                return false;
            }
            else
            {
                bytes.AddRange(utf8[..Strict.GetBytes([character], utf8)]);
            }
        }

        try
        {
            decoded = Strict.GetString(bytes.ToArray());
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
