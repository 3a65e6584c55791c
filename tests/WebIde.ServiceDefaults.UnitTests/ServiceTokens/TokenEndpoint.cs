using System.Net;
using System.Net.Http.Json;

namespace WebIde.ServiceDefaults.UnitTests.ServiceTokens;

/// <summary>
/// Identity's /connect/token behind a fake <see cref="IHttpClientFactory"/>: records every
/// request (with its form read while it is still open) and answers each with a new token,
/// or with what <see cref="Answer"/> says.
/// </summary>
public sealed class TokenEndpoint : IHttpClientFactory, IDisposable
{
    private readonly Handler _handler;
    private int _issued;

    public TokenEndpoint() => _handler = new Handler(this);

    public record Request(string? Client, HttpMethod Method, Uri? Uri, string? ContentType, Dictionary<string, string> Form);

    public List<Request> Requests { get; } = [];

    public int ExpiresIn { get; set; } = 300;

    /// <summary>Answers a request instead of issuing a token when it returns a response.</summary>
    public Func<int, Task<HttpResponseMessage?>>? Answer { get; set; }

    /// <summary>Completes when a request has reached the endpoint.</summary>
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HttpClient CreateClient(string name)
    {
        _handler.LastClient = name;
        return new HttpClient(_handler, disposeHandler: false) { BaseAddress = new Uri("http://identity") };
    }

    public void Dispose() => _handler.Dispose();

    private sealed class Handler(TokenEndpoint endpoint) : HttpMessageHandler
    {
        public string? LastClient { get; set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var form = body.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(pair => pair.Split('=', 2))
                .ToDictionary(pair => Uri.UnescapeDataString(pair[0].Replace('+', ' ')), pair => Uri.UnescapeDataString(pair[1].Replace('+', ' ')));
            int number;
            lock (endpoint.Requests)
            {
                endpoint.Requests.Add(new Request(LastClient, request.Method, request.RequestUri, request.Content?.Headers.ContentType?.MediaType, form));
                number = endpoint.Requests.Count;
            }
            endpoint.Reached.TrySetResult();

            if (endpoint.Answer is { } answer && await answer(number) is { } answered)
            {
                return answered;
            }

            var token = $"token-{Interlocked.Increment(ref endpoint._issued)}";
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(new Dictionary<string, object> { ["access_token"] = token, ["token_type"] = "Bearer", ["expires_in"] = endpoint.ExpiresIn }),
            };
        }
    }
}
