namespace WebIde.Gateway.UnitTests.Health;

/// <summary>Hands out clients whose every request is answered by <paramref name="answer"/>.</summary>
internal sealed class StubHttpClientFactory(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer, TimeSpan? timeout = null)
    : IHttpClientFactory
{
    public List<(string Client, Uri? Uri)> Requests { get; } = [];

    public HttpClient CreateClient(string name) => new(new Handler(this, name, answer))
    {
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
    };

    private sealed class Handler(StubHttpClientFactory factory, string name, Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer)
        : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (factory.Requests)
            {
                factory.Requests.Add((name, request.RequestUri));
            }
            return answer(request, cancellationToken);
        }
    }
}
