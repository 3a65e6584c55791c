using System.Diagnostics;

namespace WebIde.IntegrationTests;

/// <summary>
/// A run of one of the repository's Node harnesses (randomized collaborative sessions, browser
/// scenarios) against the test platform's gateway: its stderr progress goes to the test's
/// progress output as it comes, its last JSON stdout line is the summary.
/// </summary>
public sealed class NodeHarness : IDisposable
{
    /// <summary>What a harness prints once its clients are all at work (the sessions harness with <c>--ready-acks</c>).</summary>
    private const string ReadyMarker = "[ready]";

    private readonly Process _process;
    private const int RecentLinesKept = 15;

    private readonly List<string> _stdout = [];
    private readonly Queue<string> _recentProgress = new();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private NodeHarness(Process process) => _process = process;

    /// <summary>Completes when the harness reports every session editing; fails if it exits first.</summary>
    public Task Ready => _ready.Task;

    /// <param name="script">The script, relative to the repository root.</param>
    public static NodeHarness Start(string script, IEnumerable<string> arguments)
    {
        var root = Platform.RepositoryRoot;
        if (!Directory.Exists(Path.Combine(root, "web", "node_modules")))
        {
            throw new InvalidOperationException("web/node_modules is missing: run `npm ci` in web/ (./webide test does).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("--url");
        start.ArgumentList.Add(Platform.GatewayAddress.ToString());
        foreach (var (name, value) in GatewayTls.NodeEnvironment())
        {
            start.Environment[name] = value;
        }
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var harness = new NodeHarness(process);
        process.OutputDataReceived += (_, line) => harness.OnStdout(line.Data);
        process.ErrorDataReceived += (_, line) => harness.OnStderr(line.Data);
        TestContext.Progress.WriteLine($"[node] node {string.Join(' ', start.ArgumentList)}");
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return harness;
    }

    /// <summary>Waits for the harness to finish: its exit code and summary. Past the deadline it is stopped and the test fails.</summary>
    public async Task<HarnessResult> WaitForExitAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Dispose();
            Assert.Fail($"The harness did not finish in time; its last progress:\n{RecentProgress}");
        }
        string[] stdout;
        lock (_stdout)
        {
            stdout = [.. _stdout];
        }
        return HarnessResult.From(_process.ExitCode, stdout);
    }

    /// <summary>The last lines of progress, for a failure message.</summary>
    public string RecentProgress
    {
        get
        {
            lock (_recentProgress)
            {
                return string.Join('\n', _recentProgress);
            }
        }
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            _stdoutClosed.TrySetResult();
            return;
        }
        lock (_stdout)
        {
            _stdout.Add(line);
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null)
        {
            _stderrClosed.TrySetResult();
            _ready.TrySetException(new InvalidOperationException("The harness ended before its sessions were all editing."));
            return;
        }
        TestContext.Progress.WriteLine(line);
        lock (_recentProgress)
        {
            _recentProgress.Enqueue(line);
            if (_recentProgress.Count > RecentLinesKept)
            {
                _recentProgress.Dequeue();
            }
        }
        if (line.Contains(ReadyMarker, StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Never started, or gone meanwhile.
        }
        _process.Dispose();
    }
}
