using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WebIde.IntegrationTests.Identity;

namespace WebIde.IntegrationTests.Files;

/// <summary>
/// docs/api.md §3, account quota: the workspaces one account owns hold at most
/// <see cref="FileQuota.AccountBytes"/> together. The write that would cross it is 413 and
/// changes nothing, whoever makes it (the owner pays for the members' writes); other accounts
/// are not held back; deleting a workspace makes room again.
/// </summary>
public sealed class AccountQuotaTests
{
    private static readonly long FiveMiB = FileQuota.FileBytes;

    [Test]
    public async Task FillingTwoWorkspacesOfOneOwnerOverTheAccountQuotaIsRefusedUntilOneIsDeleted()
    {
        using var first = await FileWorkspace.CreateAsync("account");
        using var second = await first.CreateSiblingAsync("account-2");
        var editor = await second.AddMemberAsync("editor");
        using var stranger = await FileWorkspace.CreateAsync("account-other");

        // 10 MiB in the first (under its 12 MiB), 5 MiB in the second: 15 MiB and the starter files.
        foreach (var (workspace, path) in new[] { (first, "one.bin"), (first, "two.bin"), (second, "one.bin") })
        {
            using var written = await workspace.PutAsync(path, Bytes(FiveMiB, 1));
            Assert.That(written.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{path}: {await written.Content.ReadAsStringAsync()}");
        }
        var before = await second.TreeAsync();
        var usage = await UsageAsync(second);

        // The second workspace alone would hold 10 MiB of its 12; the account would pass 20 MiB.
        using var byOwner = await second.PutAsync("two.bin", Bytes(FiveMiB, 2));
        using var byEditor = await second.PutAsync("two.bin", Bytes(FiveMiB, 3), token: editor);
        using var inNewFolder = await second.PutAsync("new/two.bin", Bytes(FiveMiB, 4));
        var after = await second.TreeAsync();
        using var otherAccount = await stranger.PutAsync("one.bin", Bytes(FiveMiB, 5));

        var problem = await Problems.AssertAsync(byOwner, HttpStatusCode.RequestEntityTooLarge, "the owner's write over the account quota");
        await Problems.AssertAsync(byEditor, HttpStatusCode.RequestEntityTooLarge, "an editor's write, paid by the owner");
        await Problems.AssertAsync(inNewFolder, HttpStatusCode.RequestEntityTooLarge, "in a new folder");
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("account"), "says it is the account's quota, not the workspace's");
            Assert.That(after.Keys, Is.EquivalentTo(before.Keys), "nothing written, not even a folder");
            Assert.That(otherAccount.StatusCode, Is.EqualTo(HttpStatusCode.Created), "another account is not held back");
            Assert.That(usage.GetProperty("maxBytes").GetInt64(), Is.EqualTo(FileQuota.WorkspaceBytes));
            Assert.That(usage.GetProperty("account").GetProperty("bytes").GetInt64(), Is.GreaterThan(3 * FiveMiB).And.LessThan(3 * FiveMiB + 64 * 1024), "15 MiB and the starter files of two workspaces");
            Assert.That(usage.GetProperty("account").GetProperty("maxBytes").GetInt64(), Is.EqualTo(FileQuota.AccountBytes));
        });

        using (var deleted = await first.Client.SendAsync(Accounts.Authorized(HttpMethod.Delete, $"/api/workspaces/{first.Id}", first.AccessToken)))
        {
            Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        }
        // The files go when filesystem hears of the deletion: wait for the account to shrink.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await UsageAsync(second)).GetProperty("account").GetProperty("bytes").GetInt64() > 2 * FiveMiB)
        {
            await Task.Delay(100, deadline.Token);
        }
        using var afterDeletion = await second.PutAsync("two.bin", Bytes(FiveMiB, 2));

        Assert.That(afterDeletion.StatusCode, Is.EqualTo(HttpStatusCode.Created), await afterDeletion.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement> UsageAsync(FileWorkspace workspace)
    {
        using var response = await workspace.Client.SendAsync(workspace.Request(HttpMethod.Get, "usage"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static byte[] Bytes(long length, byte seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
