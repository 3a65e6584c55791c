using WebIde.Ot;

namespace WebIde.Collaboration.UnitTests.Support;

/// <summary>Short ways to write the operations the tests use.</summary>
public static class Ops
{
    /// <summary>Inserts <paramref name="text"/> at <paramref name="at"/> in a document of <paramref name="length"/> code units.</summary>
    public static TextOperation Insert(int length, int at, string text) =>
        TextOperation.CreateBuilder().Retain(at).Insert(text).Retain(length - at).ToOperation();

    /// <summary>Deletes <paramref name="count"/> code units at <paramref name="at"/> in a document of <paramref name="length"/>.</summary>
    public static TextOperation Delete(int length, int at, int count) =>
        TextOperation.CreateBuilder().Retain(at).Delete(count).Retain(length - at - count).ToOperation();
}
