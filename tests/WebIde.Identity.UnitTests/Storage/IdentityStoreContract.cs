using WebIde.Identity.Storage;
using WebIde.ServiceDefaults.Encryption;

namespace WebIde.Identity.UnitTests.Storage;

/// <summary>
/// What every adapter of identity's storage port must do, run against each reachable adapter.
/// Times in the records are whole milliseconds (what every adapter keeps), so records compare
/// equal after a round trip; finer times have a test of their own.
/// </summary>
[TestFixtureSource(typeof(IdentityStoreHarness), nameof(IdentityStoreHarness.Reachable))]
public sealed class IdentityStoreContract(IdentityStoreHarness harness)
{
    private const int DemotionRaces = 50;

    private static readonly DateTimeOffset Epoch = new(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero);

    private static readonly CancellationToken None = CancellationToken.None;

    [OneTimeSetUp]
    public Task StartAsync() => harness.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await harness.DisposeAsync();

    [Test]
    public void EachPortResolvesToThisAdapter()
    {
        object[] ports = [harness.Users, harness.Sessions, harness.SigningKeys, harness.Workspaces, harness.Outbox];
        Assert.That(ports.Select(port => port.GetType().Name), Has.All.StartsWith(harness.AdapterPrefix));
    }

    // ---- users

    [Test]
    public async Task AUserIsFoundByNormalizedNameAndById()
    {
        var user = NewUser("Grace.Hopper");

        Assert.That(await harness.Users.TryCreateAsync(user, None), Is.True);

        Assert.That(await harness.Users.FindByNormalizedUsernameAsync(user.NormalizedUsername, None), Is.EqualTo(user));
        Assert.That(await harness.Users.FindByIdAsync(user.Id, None), Is.EqualTo(user));
    }

    [Test]
    public async Task UnknownUsersAreNull()
    {
        Assert.That(await harness.Users.FindByNormalizedUsernameAsync($"nobody-{Guid.NewGuid():N}", None), Is.Null);
        Assert.That(await harness.Users.FindByIdAsync(Guid.NewGuid(), None), Is.Null);
    }

    [Test]
    public async Task ATakenNormalizedNameIsRefusedAndTheFirstAccountKept()
    {
        var first = NewUser($"Ada{Unique()}");
        var second = NewUser(first.Username.ToUpperInvariant());

        Assert.That(await harness.Users.TryCreateAsync(first, None), Is.True);
        Assert.That(await harness.Users.TryCreateAsync(second, None), Is.False);

        Assert.That(await harness.Users.FindByNormalizedUsernameAsync(first.NormalizedUsername, None), Is.EqualTo(first));
        Assert.That(await harness.Users.FindByIdAsync(second.Id, None), Is.Null);
    }

    [Test]
    public async Task TwentyConcurrentRegistrationsOfOneNameInDifferentCaseCreateExactlyOne()
    {
        var name = $"casey{Unique()}";
        // Twenty different spellings: letter i is upper-case when bit i of the attempt is set.
        var users = Enumerable.Range(1, 20)
            .Select(attempt => NewUser(new string(name.Select((c, i) => (attempt >> i & 1) == 1 ? char.ToUpperInvariant(c) : c).ToArray())))
            .ToList();
        Assert.That(users.Select(user => user.Username).Distinct().Count(), Is.EqualTo(20));

        var created = await Task.WhenAll(users.Select(user => Task.Run(() => harness.Users.TryCreateAsync(user, None))));

        Assert.That(created.Count(wasCreated => wasCreated), Is.EqualTo(1));
        var winner = users[Array.IndexOf(created, true)];
        Assert.That(await harness.Users.FindByNormalizedUsernameAsync(name, None), Is.EqualTo(winner));
    }

    [Test]
    public async Task APasswordHashIsReplacedOnlyWhileItIsTheOneRead()
    {
        var user = NewUser($"rehash{Unique()}");
        await harness.Users.TryCreateAsync(user, None);

        var replaced = await harness.Users.TryReplacePasswordHashAsync(user.Id, user.PasswordHash, "hash-2", None);
        var stale = await harness.Users.TryReplacePasswordHashAsync(user.Id, user.PasswordHash, "hash-3", None);
        var unknown = await harness.Users.TryReplacePasswordHashAsync(Guid.NewGuid(), "hash-2", "hash-4", None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((replaced, stale, unknown), Is.EqualTo((true, false, false)));
            Assert.That(await harness.Users.FindByIdAsync(user.Id, None), Is.EqualTo(user with { PasswordHash = "hash-2" }));
        }
    }

    // ---- sessions and refresh tokens

    [Test]
    public async Task ASessionAndItsFirstRefreshTokenAreStored()
    {
        var (session, token) = NewSession();

        await harness.Sessions.CreateAsync(session, token, None);

        Assert.That(await harness.Sessions.FindAsync(session.Id, None), Is.EqualTo(session));
        Assert.That(await harness.Sessions.FindRefreshTokenAsync(token.TokenHash, None), Is.EqualTo(token));
        Assert.That(await harness.Sessions.FindAsync(Guid.NewGuid(), None), Is.Null);
        Assert.That(await harness.Sessions.FindRefreshTokenAsync(NewHash(), None), Is.Null);
    }

    [Test]
    public async Task SpendingATokenMarksItSpentAndStoresItsReplacementOnce()
    {
        var (session, token) = NewSession();
        await harness.Sessions.CreateAsync(session, token, None);
        var replacement = NextToken(token);
        var now = Epoch.AddMinutes(5);

        Assert.That(await harness.Sessions.TrySpendAsync(token.TokenHash, replacement, now, None), Is.True);

        Assert.That(await harness.Sessions.FindRefreshTokenAsync(token.TokenHash, None), Is.EqualTo(token with { SpentAt = now }));
        Assert.That(await harness.Sessions.FindRefreshTokenAsync(replacement.TokenHash, None), Is.EqualTo(replacement));

        // Reuse: refused, and the would-be replacement is not stored.
        var another = NextToken(token);
        Assert.That(await harness.Sessions.TrySpendAsync(token.TokenHash, another, now.AddMinutes(1), None), Is.False);
        Assert.That(await harness.Sessions.FindRefreshTokenAsync(another.TokenHash, None), Is.Null);
        Assert.That((await harness.Sessions.FindRefreshTokenAsync(token.TokenHash, None))!.SpentAt, Is.EqualTo(now));
    }

    [Test]
    public async Task SpendingAnUnknownTokenStoresNothing()
    {
        var (session, token) = NewSession();
        await harness.Sessions.CreateAsync(session, token, None);
        var replacement = NextToken(token);

        Assert.That(await harness.Sessions.TrySpendAsync(NewHash(), replacement, Epoch, None), Is.False);

        Assert.That(await harness.Sessions.FindRefreshTokenAsync(replacement.TokenHash, None), Is.Null);
    }

    [Test]
    public async Task OfTwoConcurrentExchangesOfOneTokenExactlyOneWins()
    {
        for (var round = 0; round < 10; round++)
        {
            var (session, token) = NewSession();
            await harness.Sessions.CreateAsync(session, token, None);
            RefreshTokenRecord[] replacements = [NextToken(token), NextToken(token)];

            var spent = await Task.WhenAll(replacements.Select(replacement =>
                Task.Run(() => harness.Sessions.TrySpendAsync(token.TokenHash, replacement, Epoch.AddSeconds(1), None))));
            var stored = await Task.WhenAll(replacements.Select(replacement =>
                harness.Sessions.FindRefreshTokenAsync(replacement.TokenHash, None)));

            Assert.That(spent.Count(won => won), Is.EqualTo(1), $"round {round}");
            Assert.That(stored.Count(replacement => replacement is not null), Is.EqualTo(1), $"round {round}");
            Assert.That(stored[Array.IndexOf(spent, true)], Is.Not.Null, "the winner's replacement is the one stored");
        }
    }

    [Test]
    public async Task RevokingASessionChangesItOnce()
    {
        var (session, token) = NewSession();
        await harness.Sessions.CreateAsync(session, token, None);
        var now = Epoch.AddMinutes(2);

        Assert.That(await harness.Sessions.RevokeAsync(session.Id, now, None), Is.True);
        Assert.That(await harness.Sessions.RevokeAsync(session.Id, now.AddMinutes(1), None), Is.False);

        Assert.That(await harness.Sessions.FindAsync(session.Id, None), Is.EqualTo(session with { RevokedAt = now }));
        Assert.That(await harness.Sessions.RevokeAsync(Guid.NewGuid(), now, None), Is.False);
    }

    // ---- signing keys

    [Test]
    public async Task SigningKeysRoundTripByteExactOldestFirst()
    {
        var before = (await harness.SigningKeys.ListAsync(None)).Count;
        // Every byte value, zeros and 0xFF included, in a key-sized blob.
        var material = Enumerable.Range(0, 300).Select(i => (byte)(i * 7 % 256)).ToArray();
        var newer = new SigningKeyRecord($"k-{Unique()}", "ES256", [0, 1, 0, 255, 0], Epoch.AddDays(1), Epoch.AddDays(31));
        var older = new SigningKeyRecord($"k-{Unique()}", "ES256", material, Epoch, Epoch.AddDays(30));

        await harness.SigningKeys.AddAsync(newer, None);
        await harness.SigningKeys.AddAsync(older, None);
        var keys = await harness.SigningKeys.ListAsync(None);

        Assert.That(keys, Has.Count.EqualTo(before + 2));
        var stored = keys.Where(key => key.KeyId == older.KeyId || key.KeyId == newer.KeyId).ToList();
        Assert.That(stored.Select(key => key.KeyId), Is.EqualTo(new[] { older.KeyId, newer.KeyId }));
        foreach (var (expected, actual) in new[] { older, newer }.Zip(stored))
        {
            Assert.That(actual.Algorithm, Is.EqualTo(expected.Algorithm));
            Assert.That(actual.PrivateKeyPkcs8, Is.EqualTo(expected.PrivateKeyPkcs8));
            Assert.That(actual.CreatedAt, Is.EqualTo(expected.CreatedAt));
            Assert.That(actual.RetiresAt, Is.EqualTo(expected.RetiresAt));
        }
    }

    [Test]
    public async Task APrivateKeyIsSealedInTheStore()
    {
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var material = ecdsa.ExportPkcs8PrivateKey();
        var key = new SigningKeyRecord($"k-{Unique()}", "ES256", material, Epoch, Epoch.AddDays(30));

        await harness.SigningKeys.AddAsync(key, None);

        var stored = await harness.ReadStoredPrivateKeyAsync(key.KeyId);
        Assert.That(stored, Is.Not.Null);
        Assert.That(ContentCipher.IsSealed(stored), Is.True);
        Assert.That(stored!.AsSpan().IndexOf(material.AsSpan(^32..)), Is.EqualTo(-1), "the private key is not in the store in the clear");
        Assert.That(new StoredPrivateKey(harness.Cipher).Open(stored), Is.EqualTo(material));
    }

    // ---- times

    [Test]
    public async Task TimesRoundTripToTheMillisecondWhateverTheirOffset()
    {
        // Sub-millisecond ticks and a non-UTC offset: the instant comes back, as UTC.
        var created = new DateTimeOffset(2026, 7, 8, 9, 10, 11, TimeSpan.FromHours(2)).AddTicks(1234567);
        var user = NewUser($"tick{Unique()}") with { CreatedAt = created };

        await harness.Users.TryCreateAsync(user, None);
        var stored = (await harness.Users.FindByIdAsync(user.Id, None))!.CreatedAt;

        Assert.That(stored.Offset, Is.EqualTo(TimeSpan.Zero));
        Assert.That(Truncate(stored), Is.EqualTo(Truncate(created)));
        Assert.That(created - stored, Is.GreaterThanOrEqualTo(TimeSpan.Zero).And.LessThan(harness.TimePrecision + TimeSpan.FromTicks(1)));
    }

    // ---- workspaces

    [Test]
    public async Task ACreatedWorkspaceHasItsCreatorAsItsOneOwner()
    {
        var owner = await CreateUserAsync("owner");
        var workspace = NewWorkspace("alpha");

        await harness.Workspaces.CreateAsync(workspace, owner.Id, None);

        Assert.That(await harness.Workspaces.FindAsync(workspace.Id, None), Is.EqualTo(workspace));
        Assert.That(await harness.Workspaces.FindRoleAsync(workspace.Id, owner.Id, None), Is.EqualTo(WorkspaceRole.Owner));
        Assert.That(await harness.Workspaces.ListMembersAsync(workspace.Id, None),
            Is.EqualTo(new[] { new WorkspaceMember(workspace.Id, owner.Id, owner.Username, WorkspaceRole.Owner) }));
        Assert.That(await harness.Workspaces.ListForUserAsync(owner.Id, None),
            Is.EqualTo(new[] { (workspace, WorkspaceRole.Owner) }));
    }

    [Test]
    public async Task UnknownWorkspacesAndStrangersHaveNothing()
    {
        var owner = await CreateUserAsync("owner");
        var stranger = await CreateUserAsync("stranger");
        var workspace = NewWorkspace("beta");
        await harness.Workspaces.CreateAsync(workspace, owner.Id, None);

        Assert.That(await harness.Workspaces.FindAsync(Guid.NewGuid(), None), Is.Null);
        Assert.That(await harness.Workspaces.FindRoleAsync(workspace.Id, stranger.Id, None), Is.Null);
        Assert.That(await harness.Workspaces.FindRoleAsync(Guid.NewGuid(), owner.Id, None), Is.Null);
        Assert.That(await harness.Workspaces.ListMembersAsync(Guid.NewGuid(), None), Is.Empty);
        Assert.That(await harness.Workspaces.ListForUserAsync(stranger.Id, None), Is.Empty);
    }

    [Test]
    public async Task SetRoleAddsUpdatesAndLeavesUnchanged()
    {
        var owner = await CreateUserAsync("owner");
        var member = await CreateUserAsync("member");
        var workspace = NewWorkspace("gamma");
        await harness.Workspaces.CreateAsync(workspace, owner.Id, None);

        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, member.Id, WorkspaceRole.Viewer, None), Is.EqualTo(MembershipChange.Added));
        Assert.That(await harness.Workspaces.FindRoleAsync(workspace.Id, member.Id, None), Is.EqualTo(WorkspaceRole.Viewer));

        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, member.Id, WorkspaceRole.Editor, None), Is.EqualTo(MembershipChange.Updated));
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, member.Id, WorkspaceRole.Editor, None), Is.EqualTo(MembershipChange.Unchanged));
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, owner.Id, WorkspaceRole.Owner, None), Is.EqualTo(MembershipChange.Unchanged));

        Assert.That(await harness.Workspaces.ListMembersAsync(workspace.Id, None), Is.EquivalentTo(new[]
        {
            new WorkspaceMember(workspace.Id, owner.Id, owner.Username, WorkspaceRole.Owner),
            new WorkspaceMember(workspace.Id, member.Id, member.Username, WorkspaceRole.Editor),
        }));
    }

    [Test]
    public async Task MembersAreListedByUsername()
    {
        var zed = await CreateUserAsync("Zed");
        var amy = await CreateUserAsync("amy");
        var bob = await CreateUserAsync("Bob");
        var workspace = NewWorkspace("ordered");
        await harness.Workspaces.CreateAsync(workspace, zed.Id, None);
        await harness.Workspaces.SetRoleAsync(workspace.Id, bob.Id, WorkspaceRole.Viewer, None);
        await harness.Workspaces.SetRoleAsync(workspace.Id, amy.Id, WorkspaceRole.Editor, None);

        var members = await harness.Workspaces.ListMembersAsync(workspace.Id, None);

        Assert.That(members.Select(member => member.Username), Is.EqualTo(new[] { amy.Username, bob.Username, zed.Username }));
    }

    [Test]
    public async Task ChangesToAMissingWorkspaceFindNoWorkspace()
    {
        var user = await CreateUserAsync("user");

        Assert.That(await harness.Workspaces.SetRoleAsync(Guid.NewGuid(), user.Id, WorkspaceRole.Editor, None), Is.EqualTo(MembershipChange.WorkspaceNotFound));
        Assert.That(await harness.Workspaces.RemoveMemberAsync(Guid.NewGuid(), user.Id, None), Is.EqualTo(MembershipChange.WorkspaceNotFound));
        Assert.That(await harness.Workspaces.DeleteAsync(Guid.NewGuid(), None), Is.False);
    }

    [Test]
    public async Task RemovingAMemberAndANonMember()
    {
        var owner = await CreateUserAsync("owner");
        var member = await CreateUserAsync("member");
        var workspace = NewWorkspace("delta");
        await harness.Workspaces.CreateAsync(workspace, owner.Id, None);
        await harness.Workspaces.SetRoleAsync(workspace.Id, member.Id, WorkspaceRole.Editor, None);

        Assert.That(await harness.Workspaces.RemoveMemberAsync(workspace.Id, member.Id, None), Is.EqualTo(MembershipChange.Removed));
        Assert.That(await harness.Workspaces.RemoveMemberAsync(workspace.Id, member.Id, None), Is.EqualTo(MembershipChange.NotAMember));

        Assert.That(await harness.Workspaces.FindRoleAsync(workspace.Id, member.Id, None), Is.Null);
        Assert.That(await harness.Workspaces.ListForUserAsync(member.Id, None), Is.Empty);
    }

    [Test]
    public async Task TheLastOwnerCanBeNeitherDemotedNorRemoved()
    {
        var owner = await CreateUserAsync("owner");
        var editor = await CreateUserAsync("editor");
        var workspace = NewWorkspace("epsilon");
        await harness.Workspaces.CreateAsync(workspace, owner.Id, None);
        await harness.Workspaces.SetRoleAsync(workspace.Id, editor.Id, WorkspaceRole.Editor, None);

        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, owner.Id, WorkspaceRole.Editor, None), Is.EqualTo(MembershipChange.LastOwner));
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, owner.Id, WorkspaceRole.Viewer, None), Is.EqualTo(MembershipChange.LastOwner));
        Assert.That(await harness.Workspaces.RemoveMemberAsync(workspace.Id, owner.Id, None), Is.EqualTo(MembershipChange.LastOwner));

        Assert.That(await harness.Workspaces.FindRoleAsync(workspace.Id, owner.Id, None), Is.EqualTo(WorkspaceRole.Owner));
    }

    [Test]
    public async Task WithASecondOwnerOneMayStepDownThenTheOtherMayNot()
    {
        var first = await CreateUserAsync("first");
        var second = await CreateUserAsync("second");
        var workspace = NewWorkspace("zeta");
        await harness.Workspaces.CreateAsync(workspace, first.Id, None);
        await harness.Workspaces.SetRoleAsync(workspace.Id, second.Id, WorkspaceRole.Editor, None);

        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, second.Id, WorkspaceRole.Owner, None), Is.EqualTo(MembershipChange.Updated));
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, first.Id, WorkspaceRole.Viewer, None), Is.EqualTo(MembershipChange.Updated));
        Assert.That(await harness.Workspaces.RemoveMemberAsync(workspace.Id, second.Id, None), Is.EqualTo(MembershipChange.LastOwner));

        // Promoted back, the first owner can now leave.
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, first.Id, WorkspaceRole.Owner, None), Is.EqualTo(MembershipChange.Updated));
        Assert.That(await harness.Workspaces.RemoveMemberAsync(workspace.Id, second.Id, None), Is.EqualTo(MembershipChange.Removed));
        Assert.That(await Owners(workspace.Id), Is.EqualTo(new[] { first.Id }));
    }

    [Test]
    public async Task AnOwnerAddedDirectlyCountsAsOwner()
    {
        var first = await CreateUserAsync("first");
        var second = await CreateUserAsync("second");
        var workspace = NewWorkspace("eta");
        await harness.Workspaces.CreateAsync(workspace, first.Id, None);

        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, second.Id, WorkspaceRole.Owner, None), Is.EqualTo(MembershipChange.Added));

        Assert.That(await harness.Workspaces.RemoveMemberAsync(workspace.Id, first.Id, None), Is.EqualTo(MembershipChange.Removed));
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, second.Id, WorkspaceRole.Editor, None), Is.EqualTo(MembershipChange.LastOwner));
    }

    [TestCase("demote", "demote")]
    [TestCase("remove", "remove")]
    [TestCase("demote", "remove")]
    public async Task TwoOwnersLeavingAtOnceNeverLeaveTheWorkspaceOwnerless(string firstLeaves, string secondLeaves)
    {
        var first = await CreateUserAsync("first");
        var second = await CreateUserAsync("second");

        for (var race = 0; race < DemotionRaces; race++)
        {
            var workspace = NewWorkspace($"race-{race}");
            await harness.Workspaces.CreateAsync(workspace, first.Id, None);
            await harness.Workspaces.SetRoleAsync(workspace.Id, second.Id, WorkspaceRole.Owner, None);

            var outcomes = await Task.WhenAll(
                Task.Run(() => Leave(workspace.Id, first.Id, firstLeaves)),
                Task.Run(() => Leave(workspace.Id, second.Id, secondLeaves)));

            Assert.That(await Owners(workspace.Id), Has.Count.EqualTo(1), $"race {race}: {string.Join(", ", outcomes)}");
            Assert.That(outcomes.Count(outcome => outcome == MembershipChange.LastOwner), Is.EqualTo(1), $"race {race}");
        }
    }

    [Test]
    public async Task AUserListsOnlyTheirOwnWorkspacesByNameThenId()
    {
        var user = await CreateUserAsync("user");
        var other = await CreateUserAsync("other");
        var b = NewWorkspace("b");
        var a1 = NewWorkspace("a");
        var a2 = NewWorkspace("a");
        var notMine = NewWorkspace("a");
        await harness.Workspaces.CreateAsync(b, user.Id, None);
        await harness.Workspaces.CreateAsync(a1, other.Id, None);
        await harness.Workspaces.SetRoleAsync(a1.Id, user.Id, WorkspaceRole.Viewer, None);
        await harness.Workspaces.CreateAsync(a2, user.Id, None);
        await harness.Workspaces.CreateAsync(notMine, other.Id, None);

        var listed = await harness.Workspaces.ListForUserAsync(user.Id, None);

        var (firstA, secondA) = string.CompareOrdinal(a1.Id.ToString("D"), a2.Id.ToString("D")) < 0
            ? ((a1, WorkspaceRole.Viewer), (a2, WorkspaceRole.Owner))
            : ((a2, WorkspaceRole.Owner), (a1, WorkspaceRole.Viewer));
        Assert.That(listed, Is.EqualTo(new[] { firstA, secondA, (b, WorkspaceRole.Owner) }));
    }

    [Test]
    public async Task DeletingAWorkspaceRemovesItsMemberships()
    {
        var owner = await CreateUserAsync("owner");
        var member = await CreateUserAsync("member");
        var workspace = NewWorkspace("doomed");
        var kept = NewWorkspace("kept");
        await harness.Workspaces.CreateAsync(workspace, owner.Id, None);
        await harness.Workspaces.CreateAsync(kept, owner.Id, None);
        await harness.Workspaces.SetRoleAsync(workspace.Id, member.Id, WorkspaceRole.Editor, None);

        Assert.That(await harness.Workspaces.DeleteAsync(workspace.Id, None), Is.True);

        Assert.That(await harness.Workspaces.FindAsync(workspace.Id, None), Is.Null);
        Assert.That(await harness.Workspaces.FindRoleAsync(workspace.Id, owner.Id, None), Is.Null);
        Assert.That(await harness.Workspaces.FindRoleAsync(workspace.Id, member.Id, None), Is.Null);
        Assert.That(await harness.Workspaces.ListMembersAsync(workspace.Id, None), Is.Empty);
        Assert.That(await harness.Workspaces.ListForUserAsync(member.Id, None), Is.Empty);
        Assert.That(await harness.Workspaces.ListForUserAsync(owner.Id, None), Is.EqualTo(new[] { (kept, WorkspaceRole.Owner) }));
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, member.Id, WorkspaceRole.Viewer, None), Is.EqualTo(MembershipChange.WorkspaceNotFound));
        Assert.That(await harness.Workspaces.DeleteAsync(workspace.Id, None), Is.False);
    }

    // ---- outbox

    [Test]
    public async Task AChangeIsAnnouncedInTheOutboxExactlyWhenItIsMade()
    {
        var owner = await CreateUserAsync("owner");
        var member = await CreateUserAsync("member");
        var workspace = NewWorkspace("announced");
        var created = Announcement("WorkspaceCreated");
        var added = Announcement("MembershipChanged");
        var unchanged = Announcement("MembershipChanged");
        var lastOwner = Announcement("MembershipChanged");
        var removed = Announcement("MembershipChanged");
        var deleted = Announcement("WorkspaceDeleted");
        var deletedAgain = Announcement("WorkspaceDeleted");

        await harness.Workspaces.CreateAsync(workspace, owner.Id, None, created);
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, member.Id, WorkspaceRole.Editor, None, added), Is.EqualTo(MembershipChange.Added));
        Assert.That(await harness.Workspaces.SetRoleAsync(workspace.Id, member.Id, WorkspaceRole.Editor, None, unchanged), Is.EqualTo(MembershipChange.Unchanged));
        Assert.That(await harness.Workspaces.RemoveMemberAsync(workspace.Id, owner.Id, None, lastOwner), Is.EqualTo(MembershipChange.LastOwner));
        Assert.That(await harness.Workspaces.RemoveMemberAsync(workspace.Id, member.Id, None, removed), Is.EqualTo(MembershipChange.Removed));
        Assert.That(await harness.Workspaces.DeleteAsync(workspace.Id, None, deleted), Is.True);
        Assert.That(await harness.Workspaces.DeleteAsync(workspace.Id, None, deletedAgain), Is.False);

        var pending = await PendingAsync(created, added, unchanged, lastOwner, removed, deleted, deletedAgain);
        Assert.That(pending.Select(message => message.Message), Is.EqualTo(new[] { created, added, removed, deleted }), "in the order of the changes");
        Assert.That(pending.Select(message => message.Confirmed), Has.All.True);
        Assert.That(pending.Select(message => message.Sequence), Is.Ordered.Ascending);
    }

    [Test]
    public async Task APublishedMessageLeavesTheOutboxAndTheRestKeepTheirOrder()
    {
        var owner = await CreateUserAsync("owner");
        var first = Announcement("WorkspaceCreated");
        var second = Announcement("WorkspaceCreated");
        var third = Announcement("WorkspaceCreated");
        foreach (var announcement in new[] { first, second, third })
        {
            await harness.Workspaces.CreateAsync(NewWorkspace("queued"), owner.Id, None, announcement);
        }
        var before = await harness.Outbox.CountPendingAsync(None);

        await harness.Outbox.DeleteAsync((await PendingAsync(second)).Single().Sequence, None);

        Assert.That((await PendingAsync(first, second, third)).Select(message => message.Message), Is.EqualTo(new[] { first, third }));
        Assert.That(await harness.Outbox.CountPendingAsync(None), Is.EqualTo(before - 1));
        foreach (var message in await PendingAsync(first, third))
        {
            await harness.Outbox.DeleteAsync(message.Sequence, None);
        }
    }

    [Test]
    public async Task TheLeaseIsOneHoldersUntilItRunsOutOrIsGivenUp()
    {
        var now = Epoch.AddYears(1);
        var (one, other) = ($"one-{Unique()}", $"other-{Unique()}");

        Assert.That(await harness.Outbox.TryLeaseAsync(one, now, now.AddSeconds(30), None), Is.True);
        Assert.That(await harness.Outbox.TryLeaseAsync(other, now.AddSeconds(1), now.AddSeconds(31), None), Is.False, "held by another");
        Assert.That(await harness.Outbox.TryLeaseAsync(one, now.AddSeconds(10), now.AddSeconds(40), None), Is.True, "renewed by its holder");
        Assert.That(await harness.Outbox.TryLeaseAsync(other, now.AddSeconds(35), now.AddSeconds(65), None), Is.False, "the renewal counts");
        Assert.That(await harness.Outbox.TryLeaseAsync(other, now.AddSeconds(41), now.AddSeconds(71), None), Is.True, "ran out");
        Assert.That(await harness.Outbox.TryLeaseAsync(one, now.AddSeconds(42), now.AddSeconds(72), None), Is.False);

        await harness.Outbox.ReleaseLeaseAsync(one, None);
        Assert.That(await harness.Outbox.TryLeaseAsync(one, now.AddSeconds(43), now.AddSeconds(73), None), Is.False, "only the holder gives it up");
        await harness.Outbox.ReleaseLeaseAsync(other, None);
        Assert.That(await harness.Outbox.TryLeaseAsync(one, now.AddSeconds(44), now.AddSeconds(74), None), Is.True, "given up");
        await harness.Outbox.ReleaseLeaseAsync(one, None);
    }

    // ---- helpers

    private Task<MembershipChange> Leave(Guid workspaceId, Guid userId, string how) => how == "remove"
        ? harness.Workspaces.RemoveMemberAsync(workspaceId, userId, None)
        : harness.Workspaces.SetRoleAsync(workspaceId, userId, WorkspaceRole.Editor, None);

    private static OutboxMessage Announcement(string type) =>
        new(Guid.NewGuid(), type, $"{{\"of\":\"{Unique()}\"}}", Epoch.AddSeconds(2));

    /// <summary>What the outbox holds of <paramref name="messages"/> (other tests of the fixture write there too), in its order.</summary>
    private async Task<List<PendingOutboxMessage>> PendingAsync(params OutboxMessage[] messages)
    {
        var ids = messages.Select(message => message.MessageId).ToHashSet();
        return (await harness.Outbox.ReadPendingAsync(10_000, Epoch, None))
            .Where(message => ids.Contains(message.Message.MessageId))
            .ToList();
    }

    private async Task<List<Guid>> Owners(Guid workspaceId) =>
        (await harness.Workspaces.ListMembersAsync(workspaceId, None))
            .Where(member => member.Role == WorkspaceRole.Owner)
            .Select(member => member.UserId)
            .ToList();

    private async Task<UserAccount> CreateUserAsync(string name)
    {
        var user = NewUser($"{name}-{Unique()}");
        Assert.That(await harness.Users.TryCreateAsync(user, None), Is.True);
        return user;
    }

    private static UserAccount NewUser(string username) =>
        new(Guid.NewGuid(), username, username.ToLowerInvariant(), $"{username} Display", $"hash-of-{username}", Epoch);

    private static Workspace NewWorkspace(string name) => new(Guid.NewGuid(), name, Epoch.AddSeconds(1));

    private static (LoginSession Session, RefreshTokenRecord Token) NewSession()
    {
        var session = new LoginSession(Guid.NewGuid(), Guid.NewGuid(), Epoch, Epoch.AddDays(30), null);
        return (session, new RefreshTokenRecord(NewHash(), session.Id, session.UserId, Epoch, Epoch.AddDays(30), null));
    }

    private static RefreshTokenRecord NextToken(RefreshTokenRecord previous) =>
        previous with { TokenHash = NewHash(), IssuedAt = previous.IssuedAt.AddMinutes(5), SpentAt = null };

    private static string NewHash() => Convert.ToBase64String(Guid.NewGuid().ToByteArray().Concat(Guid.NewGuid().ToByteArray()).ToArray());

    private static string Unique() => Guid.NewGuid().ToString("N")[..12];

    private static DateTimeOffset Truncate(DateTimeOffset time) =>
        new(time.UtcTicks - time.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
}
