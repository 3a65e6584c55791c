using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using WebIde.Contracts.Execution.V1;

namespace WebIde.Bench;

/// <summary>
/// <c>print(1)</c> in python, measured in one run: the host's own interpreter (the floor no sandbox
/// can beat), a naive <c>docker run</c> of the runner image (the baseline a simple judge pays), and
/// WebIde through the gateway: one run a second over gRPC and REST, an open loop at a fixed arrival
/// rate, and sustained throughput of several users with several callers each, with the CPU each run
/// costs split by process. Every run's output is checked.
/// </summary>
public static class ExecutionBenchmark
{
    private const string Program = "print(1)";
    private const int Users = 8;
    private const int CallersPerUser = 2;
    private const double OpenLoopPerSecond = 15;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        using var client = new HttpClient { BaseAddress = options.Gateway, Timeout = TimeSpan.FromMinutes(2) };
        var image = RunnerImage();
        Console.WriteLine($"execution benchmark against {options.Gateway} (gRPC {options.GrpcAddress}); runner image {image}; {options.Duration.TotalSeconds:F0} s per measurement; load average {File.ReadAllText("/proc/loadavg").Trim()}");

        var tokens = new List<string>();
        for (var i = 0; i < Users; i++)
        {
            tokens.Add(await PlatformClient.SignUpAsync(client));
        }
        var token = tokens[0];
        var workspace = await PlatformClient.CreateWorkspaceAsync(client, token, "bench-runs");
        if (!await PlatformClient.PutAsync(client, token, workspace, "bench.py", "print(1)\n"u8.ToArray()))
        {
            Console.Error.WriteLine("writing the benchmark's program failed");
            return 1;
        }

        using var channel = GrpcChannel.ForAddress(options.GrpcAddress, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
        var execution = new Execution.ExecutionClient(channel);
        var headers = tokens.Select(user => new Metadata { { "authorization", $"Bearer {user}" } }).ToArray();
        var request = new RunRequest
        {
            Language = "python",
            Files = new Files { Files_ = { new SourceFile { Path = "main.py", Content = ByteString.CopyFromUtf8(Program) } } },
            Entry = "main.py",
        };

        // Warm-up: the first runs pay for JIT, connections, the languages' versions and each user's first container.
        foreach (var user in headers)
        {
            for (var i = 0; i < 3; i++)
            {
                await GrpcRunAsync(execution, request, user);
            }
        }

        var paced = options.PacedInterval;
        var label = string.Create(CultureInfo.InvariantCulture, $"1 caller, a run every {paced.TotalMilliseconds:F0} ms");
        var floor = await LoadRun.MeasureAsync($"floor: host `/usr/bin/python3 -c 'print(1)'` ({label})", 1, options.Duration, (_, _) => ProcessAsync("/usr/bin/python3", "-c", Program), paced);
        var results = new List<LoadResult>
        {
            floor,
            await LoadRun.MeasureAsync("baseline: `docker run --rm --network none` python", 1, options.Duration, (_, _) =>
                ProcessAsync("docker", "run", "--rm", "--network", "none", "--memory", "256m", "--pids-limit", "64", "--entrypoint", "python3", image, "-c", Program)),
            await LoadRun.MeasureAsync($"WebIde gRPC Run ({label})", 1, options.Duration * 2, (_, _) => GrpcRunAsync(execution, request, headers[0]), paced),
            await LoadRun.MeasureAsync($"WebIde REST run ({label})", 1, options.Duration * 2, (_, _) => RestRunAsync(client, token, workspace), paced),
            await LoadRun.OpenLoopAsync(string.Create(CultureInfo.InvariantCulture, $"WebIde gRPC Run, open loop at {OpenLoopPerSecond:F0} runs/s over {Users} users"), OpenLoopPerSecond, options.Duration * 2,
                iteration => GrpcRunAsync(execution, request, headers[iteration % Users])),
        };

        var cpuBefore = ProcessCpu.Sample();
        var sustained = await LoadRun.MeasureAsync($"WebIde gRPC Run, sustained ({Users} users × {CallersPerUser} callers back to back)", Users * CallersPerUser, options.Duration * 2,
            (worker, _) => GrpcRunAsync(execution, request, headers[worker / CallersPerUser]));
        var cpu = ProcessCpu.PerOperation(cpuBefore, ProcessCpu.Sample(), sustained.Operations);
        results.Add(sustained);
        var programCpu = await ProgramCpuAsync(execution, headers[0]);

        Console.WriteLine();
        Console.WriteLine(LoadResult.Header);
        foreach (var result in results)
        {
            Console.WriteLine(result);
        }

        var grpc = results[2];
        var openLoop = results[4];
        Console.WriteLine();
        Console.WriteLine("CPU per run in the sustained measurement, ms. Jail and program: what the agents reaped (bwrap, the jail's init, its shell, the program); program alone: its own usage as it reports it from inside the jail, in separate runs. Counted by the kernel in clock ticks, so the jail's own part, their difference, is below what this resolves when it comes out near zero or negative.");
        Console.WriteLine("| service | gateway | engine | agent | jail and program | program alone | total |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {cpu["service"]:F1} | {cpu["gateway"]:F1} | {cpu["engine"]:F1} | {cpu["agent"]:F1} | {cpu["jails"]:F1} | {programCpu:F1} | {cpu.Values.Sum():F1} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"one run a second: gRPC p50 {grpc.P50Milliseconds:F1} ms = {grpc.P50Milliseconds / floor.P50Milliseconds:F2}× the floor (target ≤ 1.5×), p99 {grpc.P99Milliseconds:F1} ms (target ≤ 60); open loop at {OpenLoopPerSecond:F0}/s p99 {openLoop.P99Milliseconds:F1} ms (target ≤ 150); sustained {sustained.PerSecond:F1} runs/s with {sustained.Errors} errors (target ≥ 25, 0 errors)"));
        Console.WriteLine($"load average at the end {File.ReadAllText("/proc/loadavg").Trim()}");
        return results.Any(result => result.Errors > 0) ? 1 : 0;
    }

    /// <summary>
    /// The program's own CPU time in the sandbox, interpreter start included, as the process reports it
    /// just before it exits: the part of a run no sandbox can save.
    /// </summary>
    private static async Task<double> ProgramCpuAsync(Execution.ExecutionClient execution, Metadata headers)
    {
        var request = new RunRequest
        {
            Language = "python",
            Files = new Files { Files_ = { new SourceFile { Path = "main.py", Content = ByteString.CopyFromUtf8("import resource\nusage = resource.getrusage(resource.RUSAGE_SELF)\nprint((usage.ru_utime + usage.ru_stime) * 1000)\n") } } },
            Entry = "main.py",
        };
        var samples = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            using var call = execution.Run(request, headers, DateTime.UtcNow.AddSeconds(60));
            await foreach (var runEvent in call.ResponseStream.ReadAllAsync())
            {
                if (runEvent.EventCase == RunEvent.EventOneofCase.Stdout && double.TryParse(runEvent.Stdout.ToStringUtf8(), CultureInfo.InvariantCulture, out var milliseconds))
                {
                    samples.Add(milliseconds);
                }
            }
        }
        return samples.Count == 0 ? double.NaN : samples.Average();
    }

    private static async Task<bool> GrpcRunAsync(Execution.ExecutionClient execution, RunRequest request, Metadata headers)
    {
        try
        {
            using var call = execution.Run(request, headers, DateTime.UtcNow.AddSeconds(60));
            Exited? exited = null;
            var stdout = new MemoryStream();
            await foreach (var runEvent in call.ResponseStream.ReadAllAsync())
            {
                if (runEvent.EventCase == RunEvent.EventOneofCase.Stdout)
                {
                    runEvent.Stdout.WriteTo(stdout);
                }
                exited = runEvent.Exited ?? exited;
            }
            return exited?.Status == RunStatus.Ok && stdout.ToArray() is [(byte)'1', (byte)'\n'];
        }
        catch (RpcException exception)
        {
            Console.Error.WriteLine($"gRPC run failed: {exception.Status}");
            return false;
        }
    }

    private static async Task<bool> RestRunAsync(HttpClient client, string token, string workspace)
    {
        using var request = PlatformClient.Authorized(HttpMethod.Post, $"/api/workspaces/{workspace}/runs", token);
        request.Content = JsonContent.Create(new { entry = "bench.py" });
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Console.Error.WriteLine($"REST run failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return false;
        }
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("status").GetString() == "ok" && body.GetProperty("stdout").GetString() == "1\n";
    }

    private static async Task<bool> ProcessAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 && output == "1\n";
    }

    private static string RunnerImage()
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "WebIde.sln")))
        {
            repository = Path.GetDirectoryName(repository) ?? throw new InvalidOperationException("WebIde.sln not found above the benchmark");
        }
        using var process = Process.Start(new ProcessStartInfo("bash", [Path.Combine(repository, "deploy/runner/build.sh"), "--print-tag"]) { RedirectStandardOutput = true })!;
        var tag = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return tag;
    }
}
