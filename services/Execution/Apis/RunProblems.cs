using System.Globalization;
using WebIde.Execution.Runs;

namespace WebIde.Execution.Apis;

/// <summary>The problem answers (docs/api.md §5) for a run or check that is refused.</summary>
public static class RunProblems
{
    public static IResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid request", detail: detail, statusCode: StatusCodes.Status400BadRequest);

    public static IResult WorkspaceNotFound() =>
        TypedResults.Problem(title: "Not found", detail: "No such workspace.", statusCode: StatusCodes.Status404NotFound);

    public static IResult From(Exception exception, HttpContext context) => exception switch
    {
        RunRequestException { Problem: RunRequestProblem.WorkspaceNotFound } => WorkspaceNotFound(),
        RunRequestException { Problem: RunRequestProblem.TooLarge } tooLarge =>
            TypedResults.Problem(title: "Too large", detail: tooLarge.Message, statusCode: StatusCodes.Status413PayloadTooLarge),
        RunRequestException invalid => Invalid(invalid.Message),
        RunRefusedException busy => TooMany(busy, context),
        _ => throw new InvalidOperationException("not a refusal", exception),
    };

    private static IResult TooMany(RunRefusedException busy, HttpContext context)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(busy.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: "Too many runs", detail: busy.Message, statusCode: StatusCodes.Status429TooManyRequests);
    }
}
