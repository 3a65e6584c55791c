using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace WebIde.Execution.Apis;

/// <summary>
/// A JSON body read here rather than bound by the framework, whose refusal of bad JSON is a
/// problem without a detail.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, string shape, CancellationToken cancellationToken)
        where T : class
    {
        if (request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == false)
        {
            return (null, RunProblems.Invalid(shape));
        }
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(title: "Unsupported media type", detail: shape, statusCode: StatusCodes.Status415UnsupportedMediaType));
        }
        try
        {
            return await request.ReadFromJsonAsync<T>(cancellationToken) is { } body ? (body, null) : (null, RunProblems.Invalid(shape));
        }
        catch (JsonException exception)
        {
            return (null, RunProblems.Invalid(exception.Path is { Length: > 0 } at ? $"{shape} The JSON is not that at {at}." : shape));
        }
        catch (InvalidOperationException)
        {
            // A lone surrogate in a string is refused by the reader this way.
            return (null, RunProblems.Invalid(shape));
        }
    }
}
