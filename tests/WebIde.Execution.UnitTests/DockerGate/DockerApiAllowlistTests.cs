using WebIde.Execution.DockerGate;

namespace WebIde.Execution.UnitTests.DockerGate;

/// <summary>Which method and path is which call, as the engine would route it (DockerGateTests sends them).</summary>
public sealed class DockerApiAllowlistTests
{
    private static readonly string Id = new('c', 64);

    [TestCase("GET", "/_ping", DockerCallKind.Ping)]
    [TestCase("HEAD", "/_ping", DockerCallKind.Ping)]
    [TestCase("GET", "/v1.41/_ping", DockerCallKind.Ping)]
    [TestCase("GET", "/images/webide-runner:abc/json", DockerCallKind.ImageInspect)]
    [TestCase("GET", "/containers/json?all=True&filters=%7B%7D", DockerCallKind.ContainerList)]
    [TestCase("POST", "/containers/create?name=webide-sandbox-1", DockerCallKind.ContainerCreate)]
    [TestCase("POST", "/v1.45/containers/create", DockerCallKind.ContainerCreate)]
    public void ExecutionsCallsAreRecognised(string method, string target, DockerCallKind kind) =>
        Assert.That(DockerApiAllowlist.Match(method, target)?.Kind, Is.EqualTo(kind));

    [TestCase("GET", "/json", DockerCallKind.ContainerInspect)]
    [TestCase("POST", "/attach?stream=1&stdin=1&stdout=1&stderr=1", DockerCallKind.ContainerAttach)]
    [TestCase("POST", "/start", DockerCallKind.ContainerStart)]
    [TestCase("GET", "/archive?path=%2Fetc%2Fwebide%2Flanguages.json", DockerCallKind.ContainerArchive)]
    [TestCase("DELETE", "?force=True", DockerCallKind.ContainerRemove)]
    public void CallsOnAContainerNameItsFullId(string method, string suffix, DockerCallKind kind) =>
        Assert.That(DockerApiAllowlist.Match(method, $"/containers/{Id}{suffix}"), Is.EqualTo(new DockerCall(kind, Id)));

    [TestCase("POST", "/containers/{id}/exec")]
    [TestCase("POST", "/exec/abc/start")]
    [TestCase("GET", "/info")]
    [TestCase("GET", "/version")]
    [TestCase("GET", "/events")]
    [TestCase("POST", "/images/create?fromImage=alpine")]
    [TestCase("POST", "/build")]
    [TestCase("POST", "/volumes/create")]
    [TestCase("POST", "/networks/create")]
    [TestCase("POST", "/containers/{id}/kill")]
    [TestCase("POST", "/containers/{id}/wait")]
    [TestCase("PUT", "/containers/{id}/archive?path=/")]
    [TestCase("HEAD", "/containers/{id}/archive?path=/")]
    [TestCase("POST", "/containers/{id}/update")]
    [TestCase("POST", "/containers/{id}/commit")]
    [TestCase("POST", "/v1.23/containers/{id}/start")]
    [TestCase("POST", "/v1.24.1/containers/{id}/start")]
    [TestCase("POST", "/containers/webide-sandbox-1/start")]
    [TestCase("POST", "/containers/cccc/start")]
    [TestCase("POST", "/containers/{id}/start\n")]
    [TestCase("POST", "/containers/{id}/start;x")]
    [TestCase("GET", "/containers/{id}/../../info")]
    [TestCase("GET", "http://docker/_ping")]
    [TestCase("POST", "/_ping")]
    [TestCase("DELETE", "/images/webide-runner:abc")]
    public void EveryOtherCallIsRefused(string method, string target) =>
        Assert.That(DockerApiAllowlist.Match(method, target.Replace("{id}", Id, StringComparison.Ordinal)), Is.Null);

    [Test]
    public void AnImageIsReadAsTheEngineDecodesIt() =>
        Assert.That(DockerApiAllowlist.Match("GET", "/images/webide-runner%3Aabc/json")?.Image, Is.EqualTo("webide-runner:abc"));

    [TestCase("filters=%7B%7D&all=1", "filters", "{}")]
    [TestCase("a+b=c+d", "a b", "c d")]
    public void AQueryIsReadAsGoReadsIt(string query, string key, string value) =>
        Assert.That(GoQuery.Parse(query), Does.Contain(KeyValuePair.Create(key, value)));

    [TestCase("filters=%7")]
    [TestCase("filters=%zz")]
    [TestCase("filters=%FF")]
    public void AMalformedQueryIsNoQuery(string query) =>
        Assert.That(GoQuery.Parse(query), Is.Null);
}
