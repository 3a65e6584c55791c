namespace WebIde.Execution.Sandbox;

/// <summary>The one-byte kinds of the frames exchanged with the sandbox agent (see agent.py).</summary>
internal enum AgentFrameKind : byte
{
    File = (byte)'F',
    Request = (byte)'R',
    Stdin = (byte)'I',
    CloseStdin = (byte)'C',
    Kill = (byte)'K',
    ReplaceFile = (byte)'U',
    RemoveFile = (byte)'N',
    Stdout = (byte)'O',
    Stderr = (byte)'E',
    StepExited = (byte)'X',
    RunDone = (byte)'D',
    AgentFailed = (byte)'A',
}
