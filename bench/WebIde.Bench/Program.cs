using WebIde.Bench;

// Benchmarks against a running platform (./webide up), each beside a baseline measured in the
// same run. Usage: dotnet run -c Release --project bench/WebIde.Bench -- identity|filesystem|execution|lsp|sealing
// [--url http://127.0.0.1:8080] [--grpc http://127.0.0.1:8081] [--seconds 10] [--concurrency 16] [--files 10000 (filesystem's tree)]
// [--interval-ms 1000 (execution: one paced run every N ms)]; sealing needs no platform (--seconds: its whole length)
// [--languages python,javascript,typescript,c,cpp,go,bash] [--completions 50] [--deadline-seconds 30] [--socket-only] (lsp)
var options = BenchOptions.Parse(args);
return options.Benchmark switch
{
    "identity" => await IdentityBenchmark.RunAsync(options),
    "filesystem" => await FileSystemBenchmark.RunAsync(options),
    "execution" => await ExecutionBenchmark.RunAsync(options),
    "lsp" => await LspBenchmark.RunAsync(options),
    "sealing" => await SealingBenchmark.RunAsync(options),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: WebIde.Bench identity|filesystem|execution|lsp|sealing [--url URL] [--grpc URL] [--seconds N] [--concurrency N] [--files N] [--interval-ms N]");
    Console.Error.WriteLine("       lsp: [--languages python,javascript,typescript,c,cpp,go,bash] [--completions N] [--deadline-seconds N] [--socket-only]");
    return 2;
}
