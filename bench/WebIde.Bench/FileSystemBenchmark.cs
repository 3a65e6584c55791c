using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.Bench;

/// <summary>
/// Reading and writing a 4 KiB file and listing the tree of a workspace of 10,000 files, all
/// through the gateway, beside the gateway's own <c>/health</c> round trip as the baseline (answered from the
/// gateway's shared round of checks, at most 2 s old: mostly the gateway alone).
/// Each is measured with one caller (latency alone) and with the configured number of
/// concurrent callers (latency under load, and throughput).
/// </summary>
public static class FileSystemBenchmark
{
    private const int FileBytes = 4 * 1024;

    // The populated workspace: files in folders of 100, as a project is laid out, not one flat list.
    private const int FilesPerFolder = 100;
    private const int PopulatedFileBytes = 1024;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2 }) { BaseAddress = options.Gateway, Timeout = TimeSpan.FromMinutes(2) };
        Console.WriteLine($"filesystem benchmark against {options.Gateway}, 1 and {options.Concurrency} workers, {options.Duration.TotalSeconds:F0} s each; tree of {options.TreeFiles} files");

        var token = await PlatformClient.SignUpAsync(client);
        var small = await PlatformClient.CreateWorkspaceAsync(client, token, "bench-files");
        var large = await PlatformClient.CreateWorkspaceAsync(client, token, "bench-tree");

        // One file per worker, so concurrent writers do not queue on one file's row, and the
        // reads find content already written (as an open editor tab would).
        var contents = Enumerable.Range(0, options.Concurrency).Select(_ => RandomBytes(FileBytes)).ToArray();
        for (var worker = 0; worker < options.Concurrency; worker++)
        {
            if (!await PlatformClient.PutAsync(client, token, small, $"bench/file-{worker}.bin", contents[worker]))
            {
                Console.Error.WriteLine("writing the benchmark's files failed");
                return 1;
            }
        }

        if (!await PopulateAsync(client, token, large, options))
        {
            return 1;
        }
        var treeBytes = await CheckTreeAsync(client, token, large, options.TreeFiles);
        if (treeBytes < 0)
        {
            return 1;
        }

        (string Name, Func<int, long, Task<bool>> Operation)[] measurements =
        [
            ("baseline: GET /health", async (_, _) =>
            {
                using var response = await client.GetAsync("/health");
                await response.Content.LoadIntoBufferAsync();
                return response.StatusCode == HttpStatusCode.OK;
            }),
            ("read 4 KiB: GET …/files/{path}", async (worker, _) =>
            {
                using var response = await client.SendAsync(PlatformClient.Authorized(HttpMethod.Get, PlatformClient.FilePath(small, $"bench/file-{worker}.bin"), token));
                var body = await response.Content.ReadAsByteArrayAsync();
                return response.StatusCode == HttpStatusCode.OK && body.Length == FileBytes;
            }),
            ("write 4 KiB: PUT …/files/{path}", async (worker, iteration) =>
            {
                // A different content each time, as typing makes it.
                var content = contents[worker];
                BitConverter.TryWriteBytes(content, iteration);
                return await PlatformClient.PutAsync(client, token, small, $"bench/file-{worker}.bin", content);
            }),
            ($"tree of {options.TreeFiles:N0} files: GET …/tree", async (_, _) =>
            {
                using var response = await client.SendAsync(PlatformClient.Authorized(HttpMethod.Get, $"/api/workspaces/{large}/tree", token));
                var body = await response.Content.ReadAsByteArrayAsync();
                return response.StatusCode == HttpStatusCode.OK && body.Length >= treeBytes;
            }),
        ];

        // The first calls of each path pay for JIT compilation and cold caches in every
        // process on the way; they would land in the first measurement's p99.
        foreach (var (_, operation) in measurements)
        {
            for (var iteration = 0; iteration < 20; iteration++)
            {
                await operation(0, iteration);
            }
        }

        var results = new List<LoadResult>();
        foreach (var workers in new[] { 1, options.Concurrency }.Distinct())
        {
            foreach (var (name, operation) in measurements)
            {
                results.Add(await LoadRun.MeasureAsync($"{name}, {(workers == 1 ? "1 worker" : $"{workers} workers")}", workers, options.Duration, operation));
            }
        }

        Console.WriteLine();
        Console.WriteLine(LoadResult.Header);
        foreach (var result in results)
        {
            Console.WriteLine(result);
        }
        return results.Sum(result => result.Errors) == 0 ? 0 : 1;
    }

    /// <summary>The workspace's files, written by parallel PUTs, with progress: it takes a while.</summary>
    private static async Task<bool> PopulateAsync(HttpClient client, string token, string workspace, BenchOptions options)
    {
        var written = 0;
        var failed = 0;
        var stopwatch = Stopwatch.StartNew();
        using var progress = new PeriodicTimer(TimeSpan.FromSeconds(5));
        var reporter = Task.Run(async () =>
        {
            while (await progress.WaitForNextTickAsync())
            {
                Console.WriteLine($"  populating: {Volatile.Read(ref written):N0} of {options.TreeFiles:N0} files written in {stopwatch.Elapsed.TotalSeconds:F0} s");
            }
        });

        await Parallel.ForEachAsync(Enumerable.Range(0, options.TreeFiles), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency }, async (index, _) =>
        {
            var path = $"src/module{index / FilesPerFolder:D3}/file{index % FilesPerFolder:D3}.txt";
            if (await PlatformClient.PutAsync(client, token, workspace, path, RandomBytes(PopulatedFileBytes)))
            {
                Interlocked.Increment(ref written);
            }
            else
            {
                Interlocked.Increment(ref failed);
            }
        });
        progress.Dispose();
        await reporter;

        Console.WriteLine($"  populated: {written:N0} files in {stopwatch.Elapsed.TotalSeconds:F1} s ({written / stopwatch.Elapsed.TotalSeconds:F0} writes/s, {options.Concurrency} in parallel), {failed} failed");
        if (failed > 0)
        {
            Console.Error.WriteLine("Some files were refused: is the workspace entry quota raised (WebIde__FileSystem__Limits__MaxWorkspaceEntries=20000)?");
        }
        return failed == 0;
    }

    /// <summary>The tree answer's size in bytes, once its entries are counted; -1 when it is not the whole tree.</summary>
    private static async Task<long> CheckTreeAsync(HttpClient client, string token, string workspace, int files)
    {
        using var response = await client.SendAsync(PlatformClient.Authorized(HttpMethod.Get, $"/api/workspaces/{workspace}/tree", token));
        var body = await response.Content.ReadAsByteArrayAsync();
        var entries = JsonDocument.Parse(body).RootElement.GetProperty("entries").EnumerateArray().ToList();
        var fileCount = entries.Count(entry => entry.GetProperty("type").GetString() == "file");
        Console.WriteLine($"  tree: {entries.Count:N0} entries ({fileCount:N0} files), {body.Length / 1024.0:N0} KiB of JSON");
        if (fileCount < files)
        {
            Console.Error.WriteLine($"The tree lists {fileCount} files; expected at least {files}.");
            return -1;
        }
        return body.Length;
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }
}
