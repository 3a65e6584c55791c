using System.Net;
using System.Text.Json;
using WebIde.Contracts.Events;
using WebIde.Identity.Storage;

namespace WebIde.Identity.UnitTests.Workspaces;

public sealed class WorkspacesApiTests
{
    private WorkspacesHost _host = null!;

    [SetUp]
    public async Task StartAsync() => _host = await WorkspacesHost.StartAsync();

    [TearDown]
    public async Task StopAsync() => await _host.DisposeAsync();

    private string ProjectPath => $"/api/workspaces/{_host.Project.Id}";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private void AssertNothingAnnounced() => Assert.That(_host.Outbox.Events, Is.Empty);

    /// <summary>The one announcement a membership change makes: into the outbox with the change, then the cache.</summary>
    private void AssertMembershipChangeAnnounced(Guid userId, string? role)
    {
        var changed = _host.Outbox.Of<MembershipChanged>().Single();
        Assert.That((changed.WorkspaceId, changed.UserId, changed.Role), Is.EqualTo((_host.Project.Id, userId, role)));
        Assert.That(_host.Journal.Entries, Is.EqualTo(new[] { "outbox MembershipChanged", $"invalidate {_host.Project.Id} {userId}" }));
    }

    /// <summary>The role the store holds, whatever the cache says.</summary>
    private Task<WorkspaceRole?> StoredRoleAsync(UserAccount user) =>
        _host.Workspaces.FindRoleAsync(_host.Project.Id, user.Id, CancellationToken.None);

    private async Task<JsonElement> ProjectAsSeenByAsync(string caller)
    {
        using var response = await _host.SendAsAsync(caller, HttpMethod.Get, ProjectPath);
        return await JsonAsync(response, HttpStatusCode.OK);
    }

    private async Task AssertProjectIsHiddenFromAsync(string caller)
    {
        using var response = await _host.SendAsAsync(caller, HttpMethod.Get, ProjectPath);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }

    /// <summary>What Alice, the only owner, is told and left with when she tries to stop being one.</summary>
    private async Task AssertTheLastOwnerStaysAsync(HttpResponseMessage response)
    {
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.That(await StoredRoleAsync(_host.Alice), Is.EqualTo(WorkspaceRole.Owner));
        AssertNothingAnnounced();
    }

    private async Task<JsonElement> SetRoleAsync(string caller, string username, string role)
    {
        using var response = await _host.SendAsAsync(caller, HttpMethod.Put, $"{ProjectPath}/members/{username}", new { role });
        return await JsonAsync(response, HttpStatusCode.OK);
    }

    // ---- who may call at all

    private static IEnumerable<TestCaseData> EveryCall()
    {
        yield return new TestCaseData("POST", "", "{\"name\":\"x\"}").SetName("POST /api/workspaces");
        yield return new TestCaseData("GET", "", null).SetName("GET /api/workspaces");
        yield return new TestCaseData("GET", "/{project}", null).SetName("GET /api/workspaces/{id}");
        yield return new TestCaseData("DELETE", "/{project}", null).SetName("DELETE /api/workspaces/{id}");
        yield return new TestCaseData("PUT", "/{project}/members/erin", "{\"role\":\"viewer\"}").SetName("PUT /api/workspaces/{id}/members/{username}");
        yield return new TestCaseData("DELETE", "/{project}/members/bob", null).SetName("DELETE /api/workspaces/{id}/members/{username}");
    }

    private Task<HttpResponseMessage> SendCallAsync(string? subject, string method, string path, string? body) =>
        _host.SendAsync(subject, new HttpMethod(method), "/api/workspaces" + path.Replace("{project}", _host.Project.Id.ToString(), StringComparison.Ordinal), body);

    [TestCaseSource(nameof(EveryCall))]
    public async Task WithoutATokenEveryCallIs401(string method, string path, string? body)
    {
        using var response = await SendCallAsync(null, method, path, body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        AssertNothingAnnounced();
    }

    [TestCaseSource(nameof(EveryCall))]
    public async Task AServiceTokenIsNotAUserAndGets403(string method, string path, string? body)
    {
        using var response = await SendCallAsync("service:files", method, path, body);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("user"));
        AssertNothingAnnounced();
    }

    // ---- POST /api/workspaces

    [Test]
    public async Task AUserWhoOwnsTheMostWorkspacesGets409AndNothingIsMade()
    {
        await _host.DisposeAsync();
        _host = await WorkspacesHost.StartAsync(maxOwnedPerUser: 2);
        // Being a member elsewhere does not count: Erin becomes an editor of Alice's project.
        await _host.Workspaces.SetRoleAsync(_host.Project.Id, _host.Erin.Id, WorkspaceRole.Editor, CancellationToken.None);
        for (var i = 0; i < 2; i++)
        {
            using var made = await _host.SendAsAsync("erin", HttpMethod.Post, "/api/workspaces", new { name = $"Mine {i}" });
            Assert.That(made.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        }
        var announced = _host.Outbox.Events.Count;

        using var refused = await _host.SendAsAsync("erin", HttpMethod.Post, "/api/workspaces", new { name = "One more" });

        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Conflict);
        var owned = await _host.Workspaces.ListForUserAsync(_host.Erin.Id, CancellationToken.None);
        Assert.That(owned.Select(membership => membership.Workspace.Name), Is.EquivalentTo(new[] { "Project", "Mine 0", "Mine 1" }));
        Assert.That(_host.Outbox.Events, Has.Count.EqualTo(announced), "nothing announced for the refused one");
        using var other = await _host.SendAsAsync("bob", HttpMethod.Post, "/api/workspaces", new { name = "Bob's" });
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Created), "another account has its own count");
    }

    [Test]
    public async Task CreatingAWorkspaceMakesTheCallerItsOwner()
    {
        using var response = await _host.SendAsAsync("erin", HttpMethod.Post, "/api/workspaces", new { name = "  My project  " });

        var body = await JsonAsync(response, HttpStatusCode.Created);
        var id = body.GetProperty("id").GetGuid();
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("name").GetString(), Is.EqualTo("My project"), "the name is trimmed");
            Assert.That(body.GetProperty("role").GetString(), Is.EqualTo("owner"));
            Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/workspaces/{id}"));
        });
        Assert.That(await _host.Workspaces.FindRoleAsync(id, _host.Erin.Id, CancellationToken.None), Is.EqualTo(WorkspaceRole.Owner));

        var created = _host.Outbox.Of<WorkspaceCreated>().Single();
        Assert.That((created.WorkspaceId, created.Name, created.OwnerId), Is.EqualTo((id, "My project", _host.Erin.Id)));
        Assert.That(_host.Outbox.Events, Has.Count.EqualTo(1));
        Assert.That(_host.Journal.Entries, Is.EqualTo(new[] { "outbox WorkspaceCreated", $"invalidate {id} {_host.Erin.Id}" }));
    }

    [Test]
    public async Task TheNewWorkspaceCanBeUsedAtOnceEvenIfItsIdWasProbedBefore()
    {
        using var created = await _host.SendAsAsync("erin", HttpMethod.Post, "/api/workspaces", new { name = "Fresh" });
        var id = (await JsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();

        using var get = await _host.SendAsAsync("erin", HttpMethod.Get, $"/api/workspaces/{id}");
        var body = await JsonAsync(get, HttpStatusCode.OK);

        Assert.That(body.GetProperty("role").GetString(), Is.EqualTo("owner"));
    }

    [TestCase("{\"name\":\"\"}", TestName = "an empty name")]
    [TestCase("{\"name\":\"   \"}", TestName = "a blank name")]
    [TestCase("{}", TestName = "no name")]
    [TestCase("{\"name\":null}", TestName = "a null name")]
    [TestCase("{\"name\":\"a\\nb\"}", TestName = "a newline in the name")]
    [TestCase("{\"name\":\"a\\u0000b\"}", TestName = "a NUL in the name")]
    [TestCase("{\"name\":\"a\\u001bb\"}", TestName = "an escape in the name")]
    [TestCase("{\"name\":\"a\\u0085b\"}", TestName = "a C1 control in the name")]
    [TestCase("{\"name\":42}", TestName = "a number for a name")]
    [TestCase("{\"name\":", TestName = "malformed JSON")]
    public async Task AnInvalidNameIs400AndCreatesNothing(string json)
    {
        using var response = await _host.SendAsAsync("erin", HttpMethod.Post, "/api/workspaces", json);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(await _host.Workspaces.ListForUserAsync(_host.Erin.Id, CancellationToken.None), Is.Empty);
        AssertNothingAnnounced();
    }

    [Test]
    public async Task ANameIsAtMost100CharactersAfterTrimming()
    {
        using var longest = await _host.SendAsAsync("erin", HttpMethod.Post, "/api/workspaces", new { name = "  " + new string('n', 100) + "  " });
        using var tooLong = await _host.SendAsAsync("erin", HttpMethod.Post, "/api/workspaces", new { name = new string('n', 101) });

        Assert.That((await JsonAsync(longest, HttpStatusCode.Created)).GetProperty("name").GetString(), Has.Length.EqualTo(100));
        var problem = await ProblemAssert.IsProblemAsync(tooLong, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("100"));
    }

    [Test]
    public async Task AnyUnicodeTextThatIsNotControlIsAName()
    {
        using var response = await _host.SendAsAsync("erin", HttpMethod.Post, "/api/workspaces", new { name = "Übung 🚀 — 演習" });

        Assert.That((await JsonAsync(response, HttpStatusCode.Created)).GetProperty("name").GetString(), Is.EqualTo("Übung 🚀 — 演習"));
    }

    // ---- GET /api/workspaces

    [TestCase("alice", "owner")]
    [TestCase("bob", "editor")]
    [TestCase("carol", "viewer")]
    public async Task TheListHoldsTheCallersWorkspacesWithTheirRole(string caller, string role)
    {
        using var response = await _host.SendAsAsync(caller, HttpMethod.Get, "/api/workspaces");

        var body = await JsonAsync(response, HttpStatusCode.OK);
        Assert.That(body.GetArrayLength(), Is.EqualTo(1), "Dave's workspace is not listed");
        Assert.That(body[0].GetProperty("id").GetGuid(), Is.EqualTo(_host.Project.Id));
        Assert.That(body[0].GetProperty("name").GetString(), Is.EqualTo("Project"));
        Assert.That(body[0].GetProperty("role").GetString(), Is.EqualTo(role));
    }

    [Test]
    public async Task AUserInNoWorkspaceGetsAnEmptyList()
    {
        using var response = await _host.SendAsAsync("erin", HttpMethod.Get, "/api/workspaces");

        Assert.That((await JsonAsync(response, HttpStatusCode.OK)).GetArrayLength(), Is.Zero);
    }

    // ---- GET /api/workspaces/{id}

    [TestCase("alice", "owner")]
    [TestCase("bob", "editor")]
    [TestCase("carol", "viewer")]
    public async Task EveryMemberSeesTheWorkspaceAndItsMembers(string caller, string role)
    {
        var body = await ProjectAsSeenByAsync(caller);

        Assert.That(body.GetProperty("id").GetGuid(), Is.EqualTo(_host.Project.Id));
        Assert.That(body.GetProperty("name").GetString(), Is.EqualTo("Project"));
        Assert.That(body.GetProperty("role").GetString(), Is.EqualTo(role));
        var members = body.GetProperty("members").EnumerateArray()
            .Select(member => (member.GetProperty("userId").GetGuid(), member.GetProperty("username").GetString(), member.GetProperty("role").GetString()))
            .ToList();
        Assert.That(members, Is.EquivalentTo(new[]
        {
            (_host.Alice.Id, "alice", "owner"),
            (_host.Bob.Id, "bob", "editor"),
            (_host.Carol.Id, "carol", "viewer"),
        }));
    }

    [Test]
    public async Task ANonMemberAnUnknownIdAndAMalformedIdGetTheSame404()
    {
        using var nonMember = await _host.SendAsAsync("dave", HttpMethod.Get, ProjectPath);
        using var unknown = await _host.SendAsAsync("dave", HttpMethod.Get, $"/api/workspaces/{Guid.NewGuid()}");
        using var malformed = await _host.SendAsAsync("dave", HttpMethod.Get, "/api/workspaces/not-a-guid");

        var essences = new[]
        {
            ProblemAssert.Essence(await ProblemAssert.IsProblemAsync(nonMember, HttpStatusCode.NotFound)),
            ProblemAssert.Essence(await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound)),
            ProblemAssert.Essence(await ProblemAssert.IsProblemAsync(malformed, HttpStatusCode.NotFound)),
        };
        Assert.That(essences.Distinct().Count(), Is.EqualTo(1), string.Join(" | ", essences));
    }

    // ---- PUT /api/workspaces/{id}/members/{username}

    [Test]
    public async Task AnOwnerAddsAMemberWhoCanThenSeeTheWorkspace()
    {
        // Erin asks first, so "not a member" is cached and must be invalidated by the change.
        await AssertProjectIsHiddenFromAsync("erin");

        var body = await SetRoleAsync("alice", "erin", "editor");

        Assert.That(body.GetProperty("userId").GetGuid(), Is.EqualTo(_host.Erin.Id));
        Assert.That(body.GetProperty("username").GetString(), Is.EqualTo("Erin"), "as registered");
        Assert.That(body.GetProperty("role").GetString(), Is.EqualTo("editor"));

        AssertMembershipChangeAnnounced(_host.Erin.Id, "editor");

        Assert.That((await ProjectAsSeenByAsync("erin")).GetProperty("role").GetString(), Is.EqualTo("editor"));
    }

    [TestCase("ERIN")]
    [TestCase("eRiN")]
    [TestCase("erin")]
    public async Task UsernamesMatchWhateverTheirCase(string username)
    {
        Assert.That((await SetRoleAsync("alice", username, "viewer")).GetProperty("userId").GetGuid(), Is.EqualTo(_host.Erin.Id));
    }

    [Test]
    public async Task APromotionShowsAtOnceInWhatTheMemberMayDo()
    {
        // Carol's viewer role is cached by her refused attempt.
        using var refused = await _host.SendAsAsync("carol", HttpMethod.Put, $"{ProjectPath}/members/erin", new { role = "viewer" });
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden);

        await SetRoleAsync("alice", "carol", "owner");

        await SetRoleAsync("carol", "erin", "viewer");
    }

    [Test]
    public async Task SettingTheRoleAMemberHasIs200AndAnnouncesNothing()
    {
        Assert.That((await SetRoleAsync("alice", "bob", "editor")).GetProperty("role").GetString(), Is.EqualTo("editor"));
        AssertNothingAnnounced();
    }

    [TestCase("bob")]
    [TestCase("carol")]
    public async Task EditorsAndViewersCannotManageMembers(string caller)
    {
        using var response = await _host.SendAsAsync(caller, HttpMethod.Put, $"{ProjectPath}/members/erin", new { role = "viewer" });
        using var promoteSelf = await _host.SendAsAsync(caller, HttpMethod.Put, $"{ProjectPath}/members/{caller}", new { role = "owner" });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(promoteSelf, HttpStatusCode.Forbidden);
        Assert.That(await StoredRoleAsync(_host.Erin), Is.Null);
        AssertNothingAnnounced();
    }

    [Test]
    public async Task ANonMemberLearnsNothingNotEvenThatTheBodyOrTheUserIsWrong()
    {
        using var valid = await _host.SendAsAsync("dave", HttpMethod.Put, $"{ProjectPath}/members/erin", new { role = "viewer" });
        using var badRole = await _host.SendAsAsync("dave", HttpMethod.Put, $"{ProjectPath}/members/erin", new { role = "admin" });
        using var unknownUser = await _host.SendAsAsync("dave", HttpMethod.Put, $"{ProjectPath}/members/nobody", new { role = "viewer" });
        using var unknownWorkspace = await _host.SendAsAsync("dave", HttpMethod.Put, $"/api/workspaces/{Guid.NewGuid()}/members/erin", new { role = "viewer" });
        using var malformed = await _host.SendAsAsync("dave", HttpMethod.Put, "/api/workspaces/123/members/erin", new { role = "viewer" });

        var essences = new List<string>();
        foreach (var response in new[] { valid, badRole, unknownUser, unknownWorkspace, malformed })
        {
            essences.Add(ProblemAssert.Essence(await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound)));
        }
        Assert.That(essences.Distinct().Count(), Is.EqualTo(1), string.Join(" | ", essences));
        AssertNothingAnnounced();
    }

    [Test]
    public async Task AnUnknownUsernameIs404SayingTheUserWasNotFound()
    {
        using var response = await _host.SendAsAsync("alice", HttpMethod.Put, $"{ProjectPath}/members/nobody", new { role = "viewer" });

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("nobody").And.Contain("not found"));
        AssertNothingAnnounced();
    }

    [TestCase("{\"role\":\"admin\"}", TestName = "an unknown role")]
    [TestCase("{\"role\":\"Owner\"}", TestName = "a role in another case")]
    [TestCase("{\"role\":\"3\"}", TestName = "a role's number")]
    [TestCase("{\"role\":\"\"}", TestName = "an empty role")]
    [TestCase("{\"role\":null}", TestName = "a null role")]
    [TestCase("{}", TestName = "no role")]
    [TestCase("{\"role\":3}", TestName = "a number for a role")]
    [TestCase("[", TestName = "malformed JSON for a role")]
    public async Task AnInvalidRoleIs400AndChangesNothing(string json)
    {
        using var response = await _host.SendAsAsync("alice", HttpMethod.Put, $"{ProjectPath}/members/bob", json);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.That(await StoredRoleAsync(_host.Bob), Is.EqualTo(WorkspaceRole.Editor));
        AssertNothingAnnounced();
    }

    [TestCase("editor")]
    [TestCase("viewer")]
    public async Task TheLastOwnerCannotBeDemoted(string role)
    {
        using var response = await _host.SendAsAsync("alice", HttpMethod.Put, $"{ProjectPath}/members/alice", new { role });

        await AssertTheLastOwnerStaysAsync(response);
    }

    [Test]
    public async Task AnOwnerWhoIsNotTheLastCanStepDownAndLosesTheRightsAtOnce()
    {
        await SetRoleAsync("alice", "bob", "owner");

        Assert.That((await SetRoleAsync("alice", "alice", "viewer")).GetProperty("role").GetString(), Is.EqualTo("viewer"));
        using var refused = await _host.SendAsAsync("alice", HttpMethod.Delete, $"{ProjectPath}/members/carol");
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Forbidden);

        // Now Bob is the last owner.
        using var lastOwner = await _host.SendAsAsync("bob", HttpMethod.Put, $"{ProjectPath}/members/bob", new { role = "editor" });
        await ProblemAssert.IsProblemAsync(lastOwner, HttpStatusCode.Conflict);
        Assert.That(_host.Outbox.Of<MembershipChanged>().Select(change => (change.UserId, change.Role)), Is.EqualTo(new[]
        {
            (_host.Bob.Id, "owner"),
            (_host.Alice.Id, "viewer"),
        }));
    }

    // ---- DELETE /api/workspaces/{id}/members/{username}

    [Test]
    public async Task AnOwnerRemovesAMemberWhoLosesAccessAtOnce()
    {
        // Bob's editor role is cached by his visit.
        await ProjectAsSeenByAsync("bob");

        using var response = await _host.SendAsAsync("alice", HttpMethod.Delete, $"{ProjectPath}/members/BOB");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        AssertMembershipChangeAnnounced(_host.Bob.Id, null);

        await AssertProjectIsHiddenFromAsync("bob");
    }

    [TestCase("bob")]
    [TestCase("carol")]
    public async Task EditorsAndViewersCannotRemoveMembers(string caller)
    {
        using var response = await _host.SendAsAsync(caller, HttpMethod.Delete, $"{ProjectPath}/members/alice");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        AssertNothingAnnounced();
    }

    [Test]
    public async Task ANonMemberCannotRemoveMembersNorTellTheWorkspaceExists()
    {
        using var response = await _host.SendAsAsync("dave", HttpMethod.Delete, $"{ProjectPath}/members/alice");
        using var unknown = await _host.SendAsAsync("dave", HttpMethod.Delete, $"/api/workspaces/{Guid.NewGuid()}/members/alice");
        using var malformed = await _host.SendAsAsync("dave", HttpMethod.Delete, "/api/workspaces/%20/members/alice");

        Assert.That(ProblemAssert.Essence(await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound)),
            Is.EqualTo(ProblemAssert.Essence(await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound))));
        await ProblemAssert.IsProblemAsync(malformed, HttpStatusCode.NotFound);
        Assert.That(await StoredRoleAsync(_host.Alice), Is.EqualTo(WorkspaceRole.Owner));
        AssertNothingAnnounced();
    }

    [Test]
    public async Task RemovingSomeoneWhoIsNotAMemberIs404()
    {
        using var notAMember = await _host.SendAsAsync("alice", HttpMethod.Delete, $"{ProjectPath}/members/dave");
        using var unknown = await _host.SendAsAsync("alice", HttpMethod.Delete, $"{ProjectPath}/members/nobody");

        var problem = await ProblemAssert.IsProblemAsync(notAMember, HttpStatusCode.NotFound);
        Assert.That(problem.GetProperty("detail").GetString(), Does.Contain("not a member"));
        var unknownProblem = await ProblemAssert.IsProblemAsync(unknown, HttpStatusCode.NotFound);
        Assert.That(unknownProblem.GetProperty("detail").GetString(), Does.Contain("not found"));
        AssertNothingAnnounced();
    }

    [Test]
    public async Task TheLastOwnerCannotBeRemoved()
    {
        using var response = await _host.SendAsAsync("alice", HttpMethod.Delete, $"{ProjectPath}/members/alice");

        await AssertTheLastOwnerStaysAsync(response);
    }

    [Test]
    public async Task AnOwnerWhoIsNotTheLastCanLeave()
    {
        await SetRoleAsync("alice", "carol", "owner");

        using var response = await _host.SendAsAsync("alice", HttpMethod.Delete, $"{ProjectPath}/members/alice");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertProjectIsHiddenFromAsync("alice");
    }

    // ---- while the broker is down

    [Test]
    public async Task ARemovalAndADeletionAreAnsweredAndTheirEventsKeptWhileTheBrokerHangs()
    {
        await _host.DisposeAsync();
        var broker = new RecordingPublisher(new Journal()) { Hangs = true };
        _host = await WorkspacesHost.StartAsync(broker);

        using var removed = await _host.SendAsAsync("alice", HttpMethod.Delete, $"{ProjectPath}/members/bob");
        Assert.That(removed.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        using var deleted = await _host.SendAsAsync("alice", HttpMethod.Delete, ProjectPath);
        Assert.That(deleted.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        // Answered with both events durable in the outbox, in order, though the broker took neither.
        Assert.That(_host.Outbox.Events.Select(integrationEvent => integrationEvent.GetType()), Is.EqualTo(new[] { typeof(MembershipChanged), typeof(WorkspaceDeleted) }));
        Assert.That(broker.Published, Is.Empty);
        Assert.That(() => broker.Attempts, Is.GreaterThan(0).After(10_000, 10), "the dispatcher was woken and is trying");
    }

    // ---- DELETE /api/workspaces/{id}

    [Test]
    public async Task AnOwnerDeletesTheWorkspaceAndNoMemberSeesItAnyMore()
    {
        await ProjectAsSeenByAsync("bob");

        using var response = await _host.SendAsAsync("alice", HttpMethod.Delete, ProjectPath);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var deleted = _host.Outbox.Of<WorkspaceDeleted>().Single();
        Assert.That((deleted.WorkspaceId, deleted.DeletedBy), Is.EqualTo((_host.Project.Id, _host.Alice.Id)));
        Assert.That(_host.Journal.Entries, Is.EqualTo(new[] { "outbox WorkspaceDeleted", $"invalidate {_host.Project.Id}" }));
        Assert.That(_host.Cache.Holds(_host.Project.Id, _host.Bob.Id), Is.False);

        foreach (var member in new[] { "alice", "bob", "carol" })
        {
            await AssertProjectIsHiddenFromAsync(member);
            using var list = await _host.SendAsAsync(member, HttpMethod.Get, "/api/workspaces");
            Assert.That((await JsonAsync(list, HttpStatusCode.OK)).GetArrayLength(), Is.Zero);
        }
        using var again = await _host.SendAsAsync("alice", HttpMethod.Delete, ProjectPath);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.NotFound);
    }

    [TestCase("bob")]
    [TestCase("carol")]
    public async Task EditorsAndViewersCannotDeleteTheWorkspace(string caller)
    {
        using var response = await _host.SendAsAsync(caller, HttpMethod.Delete, ProjectPath);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
        Assert.That(await _host.Workspaces.FindAsync(_host.Project.Id, CancellationToken.None), Is.Not.Null);
        AssertNothingAnnounced();
    }

    [TestCase("{project}")]
    [TestCase("00000000-0000-0000-0000-000000000000")]
    [TestCase("not-a-guid")]
    public async Task ANonMemberCannotDeleteNorTellTheWorkspaceExists(string id)
    {
        using var response = await _host.SendAsAsync("dave", HttpMethod.Delete, $"/api/workspaces/{id.Replace("{project}", _host.Project.Id.ToString(), StringComparison.Ordinal)}");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.That(problem.GetProperty("title").GetString(), Is.EqualTo("Workspace not found"));
        Assert.That(await _host.Workspaces.FindAsync(_host.Project.Id, CancellationToken.None), Is.Not.Null);
        AssertNothingAnnounced();
    }
}
