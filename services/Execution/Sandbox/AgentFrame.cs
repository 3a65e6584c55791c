using System.Buffers.Binary;
using System.Text;

namespace WebIde.Execution.Sandbox;

/// <summary>One frame of the agent protocol: a kind byte, a big-endian length, the payload.</summary>
internal readonly record struct AgentFrame(AgentFrameKind Kind, ReadOnlyMemory<byte> Payload)
{
    public const int HeaderLength = 5;

    public static AgentFrame File(string path, ReadOnlySpan<byte> content) => WithPath(AgentFrameKind.File, path, content);

    /// <summary>A file written or replaced while a step runs (a language server's project kept current).</summary>
    public static AgentFrame ReplaceFile(string path, ReadOnlySpan<byte> content) => WithPath(AgentFrameKind.ReplaceFile, path, content);

    /// <summary>A file or directory gone from the project while a step runs.</summary>
    public static AgentFrame RemoveFile(string path) => new(AgentFrameKind.RemoveFile, Encoding.UTF8.GetBytes(path));

    private static AgentFrame WithPath(AgentFrameKind kind, string path, ReadOnlySpan<byte> content)
    {
        var pathBytes = Encoding.UTF8.GetBytes(path);
        var payload = new byte[2 + pathBytes.Length + content.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, checked((ushort)pathBytes.Length));
        pathBytes.CopyTo(payload, 2);
        content.CopyTo(payload.AsSpan(2 + pathBytes.Length));
        return new AgentFrame(kind, payload);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderLength + Payload.Length];
        bytes[0] = (byte)Kind;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)Payload.Length);
        Payload.Span.CopyTo(bytes.AsSpan(HeaderLength));
        return bytes;
    }
}
