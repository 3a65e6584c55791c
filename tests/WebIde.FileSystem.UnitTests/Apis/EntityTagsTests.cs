using Microsoft.AspNetCore.Http;
using WebIde.FileSystem.Apis;
using WebIde.FileSystem.Storage;

namespace WebIde.FileSystem.UnitTests.Apis;

public sealed class EntityTagsTests
{
    private static (WriteCondition? Condition, string? Error) Read(string? ifMatch = null, string? ifNoneMatch = null)
    {
        var request = new DefaultHttpContext().Request;
        if (ifMatch is not null)
        {
            request.Headers.IfMatch = ifMatch;
        }
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch = ifNoneMatch;
        }
        var condition = EntityTags.ReadCondition(request, out var error);
        return (condition, error);
    }

    [Test]
    public void HeadersBecomeTheStoresWriteConditions()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Read().Condition, Is.EqualTo(WriteCondition.None));
            Assert.That(Read(ifMatch: "\"7\"").Condition, Is.EqualTo(WriteCondition.AtVersion(7)));
            Assert.That(Read(ifMatch: " \"12\" ").Condition, Is.EqualTo(WriteCondition.AtVersion(12)));
            Assert.That(Read(ifMatch: "*").Condition, Is.EqualTo(WriteCondition.Exists));
            Assert.That(Read(ifNoneMatch: "*").Condition, Is.EqualTo(WriteCondition.CreateOnly));
        });
    }

    [TestCase("7", null)]
    [TestCase("W/\"7\"", null)]
    [TestCase("\"0\"", null)]
    [TestCase("\"-1\"", null)]
    [TestCase("\"7\", \"8\"", null)]
    [TestCase("\"abc\"", null)]
    [TestCase(null, "\"7\"")]
    [TestCase("\"7\"", "*")]
    public void AnythingElseIsRefusedWithAReason(string? ifMatch, string? ifNoneMatch)
    {
        var (condition, error) = Read(ifMatch, ifNoneMatch);

        Assert.Multiple(() =>
        {
            Assert.That(condition, Is.Null);
            Assert.That(error, Is.Not.Empty);
        });
    }

    [Test]
    public void ConditionsAreMetExactlyAsHttpSays()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WriteCondition.None.IsMetBy(null), Is.True);
            Assert.That(WriteCondition.None.IsMetBy(3), Is.True);
            Assert.That(WriteCondition.CreateOnly.IsMetBy(null), Is.True);
            Assert.That(WriteCondition.CreateOnly.IsMetBy(1), Is.False);
            Assert.That(WriteCondition.Exists.IsMetBy(null), Is.False);
            Assert.That(WriteCondition.Exists.IsMetBy(5), Is.True);
            Assert.That(WriteCondition.AtVersion(5).IsMetBy(5), Is.True);
            Assert.That(WriteCondition.AtVersion(5).IsMetBy(6), Is.False);
            Assert.That(WriteCondition.AtVersion(5).IsMetBy(null), Is.False);
        });
    }
}
