using System.Buffers.Binary;

namespace WebIde.Execution.Sandbox;

/// <summary>Cuts the agent's stdout byte stream, which arrives in arbitrary pieces, back into frames.</summary>
internal sealed class AgentFrameReader(int maxPayload = 16 << 20)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _length;

    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes.Length));
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public bool TryRead(out AgentFrame frame)
    {
        frame = default;
        if (_length < AgentFrame.HeaderLength)
        {
            return false;
        }

        var payloadLength = BinaryPrimitives.ReadUInt32BigEndian(_buffer.AsSpan(1));
        if (payloadLength > maxPayload)
        {
            throw new InvalidDataException($"the agent sent a frame of {payloadLength} bytes");
        }
        var total = AgentFrame.HeaderLength + (int)payloadLength;
        if (_length < total)
        {
            return false;
        }

        frame = new AgentFrame((AgentFrameKind)_buffer[0], _buffer.AsSpan(AgentFrame.HeaderLength, (int)payloadLength).ToArray());
        _buffer.AsSpan(total, _length - total).CopyTo(_buffer);
        _length -= total;
        return true;
    }
}
