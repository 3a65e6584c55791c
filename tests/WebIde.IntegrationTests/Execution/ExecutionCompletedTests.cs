using System.Collections.Concurrent;
using Aspire.Hosting.Testing;
using Grpc.Core;
using MassTransit;
using WebIde.Contracts.Events;

namespace WebIde.IntegrationTests.Execution;

/// <summary>Every run, whichever API started it and however it ended, is announced on the platform's RabbitMQ.</summary>
public sealed class ExecutionCompletedTests
{
    [Test]
    public async Task EachRunIsAnnouncedWithWhoRanWhatAndHowItEnded()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        using var workspace = await ExecWorkspace.CreateAsync("completed");
        var heard = new ConcurrentDictionary<Guid, ExecutionCompleted>();
        var rabbitUri = new Uri(await Platform.App.GetConnectionStringAsync("rabbitmq", deadline.Token) ?? throw new InvalidOperationException("no rabbitmq connection string"));
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(rabbitUri);
            rabbit.ReceiveEndpoint($"webide-tests-execution-completed-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.Handler<ExecutionCompleted>(context =>
                {
                    heard[context.Message.RunId] = context.Message;
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(deadline.Token);
        try
        {
            await workspace.WriteAsync("fail.py", "print('bye')\nraise SystemExit(3)\n");
            var rest = await workspace.RunAsync(new { entry = "fail.py" });
            var restRunId = Guid.Parse(rest.Body.GetProperty("runId").GetString()!);

            // Inline files over gRPC, with the user's token: no platform service may run code (no code:run scope).
            using var grpc = new ExecGrpc();
            var request = new Contracts.Execution.V1.RunRequest { Language = "bash", Files = ExecGrpc.Inline(("hi.sh", "echo hi")), Entry = "hi.sh" };
            using var call = grpc.Client.Run(request, ExecGrpc.As(workspace.AccessToken));
            var grpcRun = await ExecGrpc.CollectAsync(call.ResponseStream);
            var grpcRunId = Guid.Parse(grpcRun.Started!.RunId);

            while (!heard.ContainsKey(restRunId) || !heard.ContainsKey(grpcRunId))
            {
                await Task.Delay(50, deadline.Token);
            }

            var fromRest = heard[restRunId];
            var fromGrpc = heard[grpcRunId];
            Assert.Multiple(() =>
            {
                Assert.That(fromRest.CallerId, Is.EqualTo(workspace.Files.UserId));
                Assert.That(fromRest.WorkspaceId, Is.EqualTo(Guid.Parse(workspace.Id)));
                Assert.That(fromRest.Language, Is.EqualTo("python"));
                Assert.That(fromRest.Status, Is.EqualTo("runtime_error"));
                Assert.That(fromRest.ExitCode, Is.EqualTo(3));
                Assert.That(fromRest.Source, Is.EqualTo("rest"));
                Assert.That(fromRest.FinishedAt, Is.GreaterThanOrEqualTo(fromRest.StartedAt));
                Assert.That(fromRest.WallTimeMs, Is.EqualTo(rest.Body.GetProperty("wallTimeMs").GetInt64()));

                Assert.That(fromGrpc.CallerId, Is.EqualTo(workspace.Files.UserId));
                Assert.That(fromGrpc.WorkspaceId, Is.Null);
                Assert.That(fromGrpc.Language, Is.EqualTo("bash"));
                Assert.That(fromGrpc.Status, Is.EqualTo("ok"));
                Assert.That(fromGrpc.Source, Is.EqualTo("grpc"));
            });
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }
}
