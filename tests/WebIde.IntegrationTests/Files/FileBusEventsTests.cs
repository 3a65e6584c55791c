using System.Collections.Concurrent;
using Aspire.Hosting.Testing;
using MassTransit;
using WebIde.Contracts.Events;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// Every change made through the API reaches the platform's RabbitMQ as FileChanged,
/// FileMoved or FileDeleted, numbered without gaps in the workspace's order.
/// </summary>
public sealed class FileBusEventsTests
{
    [Test]
    public async Task EachChangeIsPublishedOnceInTheWorkspacesOrder()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var workspace = await FileWorkspace.CreateAsync("bus");
        var workspaceId = Guid.Parse(workspace.Id);
        var heard = new ConcurrentDictionary<long, string>();
        var duplicates = new ConcurrentBag<long>();
        void Hear(Guid id, long sequence, string what)
        {
            if (id == workspaceId && !heard.TryAdd(sequence, what))
            {
                duplicates.Add(sequence);
            }
        }

        var rabbitUri = new Uri(await Platform.App.GetConnectionStringAsync("rabbitmq", deadline.Token) ?? throw new InvalidOperationException("no rabbitmq connection string"));
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(rabbitUri);
            rabbit.ReceiveEndpoint($"webide-tests-file-events-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<FileChanged>(context =>
                {
                    var message = context.Message;
                    Hear(message.WorkspaceId, message.Sequence, $"{(message.Created ? "created" : "changed")} {message.EntryType} {message.Path} v{message.Version}");
                    return Task.CompletedTask;
                });
                endpoint.Handler<FileMoved>(context =>
                {
                    var message = context.Message;
                    Hear(message.WorkspaceId, message.Sequence, $"moved {message.EntryType} {message.From}->{message.To}");
                    return Task.CompletedTask;
                });
                endpoint.Handler<FileDeleted>(context =>
                {
                    var message = context.Message;
                    Hear(message.WorkspaceId, message.Sequence, $"deleted {message.EntryType} {message.Path}");
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(deadline.Token);
        try
        {
            (await workspace.PutTextAsync("src/a.txt", "one")).EnsureSuccessStatusCode();
            (await workspace.PutTextAsync("src/a.txt", "two")).EnsureSuccessStatusCode();
            (await workspace.MoveAsync("src", "lib")).EnsureSuccessStatusCode();
            (await workspace.DeleteAsync("lib")).EnsureSuccessStatusCode();

            // The starter project took sequences 1 and 2, before this test listened.
            string[] expected =
            [
                "created directory src v",
                "created file src/a.txt v1",
                "changed file src/a.txt v2",
                "moved directory src->lib",
                "deleted directory lib",
            ];
            while (!Enumerable.Range(3, expected.Length).All(sequence => heard.ContainsKey(sequence)))
            {
                await Task.Delay(50, deadline.Token);
            }

            Assert.Multiple(() =>
            {
                Assert.That(Enumerable.Range(3, expected.Length).Select(sequence => heard[sequence]), Is.EqualTo(expected));
                Assert.That(duplicates, Is.Empty);
            });
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
