using DiffPlex;
using WebIde.Ot;

namespace WebIde.Collaboration.Persistence;

/// <summary>The smallest operation (by character diff) that turns one text into another, so a change made outside the editor merges with what is being typed.</summary>
public static class TextDiff
{
    public static TextOperation Between(string before, string after)
    {
        var builder = TextOperation.CreateBuilder();
        var position = 0;
        foreach (var block in Differ.Instance.CreateCharacterDiffs(before, after, ignoreWhitespace: false).DiffBlocks)
        {
            builder.Retain(block.DeleteStartA - position);
            builder.Delete(block.DeleteCountA);
            builder.Insert(after.Substring(block.InsertStartB, block.InsertCountB));
            position = block.DeleteStartA + block.DeleteCountA;
        }
        builder.Retain(before.Length - position);
        return builder.ToOperation();
    }
}
