using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A JSON body read by the endpoint rather than bound by the framework: the framework's refusal
/// of bad JSON is a problem without a detail, and it comes before the endpoint's access check,
/// so a non-member could tell a route from an unknown workspace's.
/// </summary>
public static class JsonRequestBody
{
    /// <summary>The body, or a 400 (415 for another media type) problem whose detail is <paramref name="shape"/>.</summary>
    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, string shape, CancellationToken cancellationToken)
        where T : class
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            return (null, Invalid(shape));
        }
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(title: "Unsupported media type", detail: shape, statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        try
        {
            return await request.ReadFromJsonAsync<T>(cancellationToken) is { } body ? (body, null) : (null, Invalid(shape));
        }
        catch (JsonException exception)
        {
            return (null, Invalid(exception.Path is { Length: > 0 } at ? $"{shape} The JSON is not that at {at}." : shape));
        }
        catch (InvalidOperationException)
        {
            // Text that is not valid UTF-16 once unescaped (a lone surrogate) is refused by the reader this way.
            return (null, Invalid(shape));
        }
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
