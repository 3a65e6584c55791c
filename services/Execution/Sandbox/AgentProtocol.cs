using System.Text;
using System.Text.Json;

namespace WebIde.Execution.Sandbox;

/// <summary>A sandbox request and its events in the agent's frames (see agent.py), both ways.</summary>
internal static class AgentProtocol
{
    /// <summary>Files, request and initial stdin, in the order the agent reads them.</summary>
    public static List<AgentFrame> RequestFrames(SandboxRequest request)
    {
        var frames = RequestFrames(request.Files, request.Steps, request.Directories);
        if (!request.Stdin.IsEmpty)
        {
            frames.Add(new AgentFrame(AgentFrameKind.Stdin, request.Stdin));
        }
        if (request.CloseStdin)
        {
            frames.Add(new AgentFrame(AgentFrameKind.CloseStdin, ReadOnlyMemory<byte>.Empty));
        }
        return frames;
    }

    /// <summary>The files, then the request: the steps and the directories made before the first.</summary>
    public static List<AgentFrame> RequestFrames(IReadOnlyList<SandboxFile> files, IReadOnlyList<SandboxStep> steps, IReadOnlyList<string> directories)
    {
        var frames = files.Select(file => AgentFrame.File(file.Path, file.Content.Span)).ToList();
        var body = new AgentRequest(steps, directories);
        frames.Add(new AgentFrame(AgentFrameKind.Request, JsonSerializer.SerializeToUtf8Bytes(body, AgentJson.Default.AgentRequest)));
        return frames;
    }

    /// <summary>The agent's word that a run is done (a <see cref="AgentFrameKind.RunDone"/> frame): whether its container may serve another.</summary>
    public static AgentRunDone RunDoneOf(AgentFrame frame) =>
        JsonSerializer.Deserialize(frame.Payload.Span, AgentJson.Default.AgentRunDone)
            ?? throw new InvalidDataException("the agent reported an empty run end");

    /// <summary>What a frame from the agent reports; null for a kind the agent does not send.</summary>
    public static SandboxEvent? EventOf(AgentFrame frame) => frame.Kind switch
    {
        AgentFrameKind.Stdout or AgentFrameKind.Stderr => new SandboxOutput(frame.Kind == AgentFrameKind.Stderr, frame.Payload),
        AgentFrameKind.StepExited => new SandboxStepExited(JsonSerializer.Deserialize(frame.Payload.Span, AgentJson.Default.SandboxStepResult)
            ?? throw new InvalidDataException("the agent reported an empty step result")),
        AgentFrameKind.AgentFailed => new SandboxFailed(Encoding.UTF8.GetString(frame.Payload.Span)),
        _ => null,
    };
}
