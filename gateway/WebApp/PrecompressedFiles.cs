using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace WebIde.Gateway.WebApp;

/// <summary>
/// Serves a web app file compressed, from the <c>.br</c> and <c>.gz</c> copies the web build
/// writes beside it (docs/platform.md "Web app"). The file as it is stays with the static files
/// middleware or the shell's fallback, which also answer ranges of it.
/// </summary>
internal sealed class PrecompressedFiles(IFileProvider files)
{
    /// <summary>The codings the web build writes, in the order the gateway prefers them.</summary>
    private static readonly (string Coding, string Extension)[] Codings = [("br", ".br"), ("gzip", ".gz")];

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// Answers a GET or HEAD of <paramref name="path"/> with a compressed copy the request
    /// accepts and returns true. Otherwise returns false and leaves the answer to the caller,
    /// with <c>Vary: Accept-Encoding</c> already set when the file has compressed copies.
    /// </summary>
    public async Task<bool> TrySendAsync(HttpContext context, PathString path)
    {
        var request = context.Request;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || path.Value is not { } subpath
            || !ContentTypes.TryGetContentType(subpath, out var contentType)
            || files.GetFileInfo(subpath) is not { Exists: true, IsDirectory: false })
        {
            return false;
        }

        var copies = Codings
            .Select(coding => (coding.Coding, File: files.GetFileInfo(subpath + coding.Extension)))
            .Where(copy => copy.File is { Exists: true, IsDirectory: false })
            .ToList();
        if (copies.Count == 0)
        {
            return false;
        }

        var response = context.Response;
        response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        var chosen = ContentCodings.Choose(request.GetTypedHeaders().AcceptEncoding, copies.Select(copy => copy.Coding));
        if (chosen is null)
        {
            return false;
        }

        var file = copies.First(copy => copy.Coding == chosen).File;
        // One tag per representation, so a cache never revalidates one coding with another's tag.
        var etag = new EntityTagHeaderValue($"\"{file.LastModified.ToFileTime() ^ file.Length:x}-{chosen}\"");
        response.GetTypedHeaders().ETag = etag;
        response.Headers.CacheControl = WebAppCaching.CacheControlFor(path);
        if (request.GetTypedHeaders().IfNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return true;
        }

        // A Range header is ignored here (RFC 9110 §14.2 allows it): the whole representation.
        response.ContentType = contentType;
        response.Headers.ContentEncoding = chosen;
        response.ContentLength = file.Length;
        if (!HttpMethods.IsHead(request.Method))
        {
            await response.SendFileAsync(file, context.RequestAborted);
        }
        return true;
    }
}
