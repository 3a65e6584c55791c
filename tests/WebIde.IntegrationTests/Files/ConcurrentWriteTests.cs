using System.Net;
using System.Text;

namespace WebIde.IntegrationTests.Files;

/// <summary>The compare-and-swap of docs/api.md §3: of two writes made over the same version, exactly one wins.</summary>
public sealed class ConcurrentWriteTests
{
    private const int Rounds = 20;

    [Test]
    public async Task OfTwoConcurrentWritesWithTheSameIfMatchOneWinsAndTheOtherIs412()
    {
        using var workspace = await FileWorkspace.CreateAsync("race");
        // A second client, so the two writes travel on connections of their own.
        using var rival = Platform.CreateGatewayClient();
        using (var start = await workspace.PutTextAsync("race.txt", "start"))
        {
            Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }
        // Both connections open before the first round, so neither write starts late.
        using (var warm = await rival.SendAsync(workspace.Request(HttpMethod.Get, "tree")))
        {
            Assert.That(warm.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }

        var outcomes = new List<string>();
        var wrong = new List<string>();
        long version = 1;
        for (var round = 1; round <= Rounds; round++)
        {
            var (mine, theirs) = ($"round {round}: mine", $"round {round}: theirs");
            var first = SendAsync(workspace.Client, workspace, mine, version);
            var second = SendAsync(rival, workspace, theirs, version);
            var answers = await Task.WhenAll(first, second);

            var statuses = answers.Select(answer => answer.StatusCode).Order().ToArray();
            outcomes.Add(string.Join('+', statuses));
            using var read = await workspace.GetAsync("race.txt");
            var text = Encoding.UTF8.GetString(await read.Content.ReadAsByteArrayAsync());
            var winner = answers[0].StatusCode == HttpStatusCode.OK ? mine : answers[1].StatusCode == HttpStatusCode.OK ? theirs : null;
            if (statuses is not [HttpStatusCode.OK, HttpStatusCode.PreconditionFailed] || text != winner || read.Headers.ETag?.Tag != $"\"{version + 1}\"")
            {
                wrong.Add($"round {round}: {string.Join(", ", statuses)}; content '{text}', winner '{winner}', ETag {read.Headers.ETag?.Tag}, expected \"{version + 1}\"");
            }
            foreach (var answer in answers)
            {
                answer.Dispose();
            }
            version++;
        }

        Assert.That(wrong, Is.Empty, string.Join(" | ", outcomes));
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, FileWorkspace workspace, string text, long version)
    {
        var request = workspace.Request(HttpMethod.Put, "files/race.txt");
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        FileWorkspace.IfMatch(request.Headers, version);
        return client.SendAsync(request);
    }
}
