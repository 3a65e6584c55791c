using System.Net;

namespace WebIde.IntegrationTests.Files;

/// <summary>One account holds a bounded number of event streams (docs/api.md §3).</summary>
public sealed class EventStreamLimitTests
{
    private const int MostPerUser = 16;

    [Test]
    public async Task OneStreamMoreThanAUserMayHoldIsRefusedWith429UntilOneCloses()
    {
        using var workspace = await FileWorkspace.CreateAsync("stream-limit");
        var open = new List<EventStream>();
        try
        {
            for (var i = 0; i < MostPerUser; i++)
            {
                open.Add(await EventStream.SubscribeAsync(workspace));
            }

            await using (var refused = await EventStream.OpenAsync(workspace))
            {
                Assert.That(refused.Response.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
                Assert.That(refused.Response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
                Assert.That(refused.Response.Headers.RetryAfter, Is.Not.Null);
            }
            // Another member has streams of their own.
            var other = await workspace.AddMemberAsync("viewer");
            await using (await EventStream.SubscribeAsync(workspace, other))
            {
            }

            await open[0].DisposeAsync();
            open.RemoveAt(0);
            // The server frees the slot when it sees the stream gone: wait for that, with a deadline.
            var until = DateTime.UtcNow + EventStream.Patience;
            while (true)
            {
                var again = await EventStream.OpenAsync(workspace);
                if (again.Response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > until)
                {
                    open.Add(again);
                    Assert.That(again.Response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
                    break;
                }
                await again.DisposeAsync();
                await Task.Delay(200);
            }
        }
        finally
        {
            foreach (var stream in open)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
