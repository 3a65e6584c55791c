using System.Text;

namespace WebIde.Execution.Apis;

/// <summary>
/// Turns one output stream's chunks into text. Chunks follow the program's writes, so a
/// character can be split across two: the decoder keeps the first half until the rest comes.
/// </summary>
public sealed class OutputDecoder
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();

    public string Decode(ReadOnlySpan<byte> chunk) => Decode(chunk, flush: false);

    /// <summary>What is left at the end: an incomplete character becomes U+FFFD.</summary>
    public string Flush() => Decode([], flush: true);

    private string Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        var chars = new char[_decoder.GetCharCount(bytes, flush)];
        var count = _decoder.GetChars(bytes, chars, flush);
        return new string(chars, 0, count);
    }
}
