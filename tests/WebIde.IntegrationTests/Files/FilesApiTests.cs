using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace WebIde.IntegrationTests.Files;

/// <summary>docs/api.md §3 through the gateway: each call's answers.</summary>
public sealed class FilesApiTests
{
    [Test]
    public async Task AWrittenFileReadsBackByteForByteWithItsVersionAsETag()
    {
        using var workspace = await FileWorkspace.CreateAsync();
        var content = Enumerable.Range(0, 256).Select(value => (byte)value).Concat(new byte[] { 0xEF, 0xBB, 0xBF, 0xC3, 0x28 }).ToArray();

        using var created = await workspace.PutAsync("src/data.bin", content);
        var createdBody = await created.Content.ReadFromJsonAsync<JsonElement>();
        using var read = await workspace.GetAsync("src/data.bin");
        var readBytes = await read.Content.ReadAsByteArrayAsync();
        using var updated = await workspace.PutAsync("src/data.bin", [1, 2, 3]);
        var updatedBody = await updated.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(createdBody.GetProperty("version").GetInt64(), Is.EqualTo(1));
            Assert.That(createdBody.GetProperty("size").GetInt64(), Is.EqualTo(content.Length));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(readBytes, Is.EqualTo(content));
            Assert.That(read.Headers.ETag?.Tag, Is.EqualTo("\"1\""));
            Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(updatedBody.GetProperty("version").GetInt64(), Is.EqualTo(2));
        });
    }
}
