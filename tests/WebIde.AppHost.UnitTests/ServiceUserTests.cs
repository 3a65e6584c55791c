using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Platform;
using WebIde.AppHost.Platform.Tls;
using WebIde.AppHost.Services;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.UnitTests;

/// <summary>
/// <c>WebIde:ServiceUser</c> (<c>./webide up --production</c>, docs/platform.md "Production mode"): every service and
/// the gateway run as that user, through setpriv, and own what they open in the data folder and nothing else.
/// </summary>
[UnsupportedOSPlatform("windows")] // setpriv, owners and modes are Linux's
public sealed class ServiceUserTests
{
    private static readonly string[] Wrapped = ["identity", "filesystem", "collaboration-1", "collaboration-2", "execution", "gateway"];

    /// <summary>The services' own folders: each has its database there in the local mode.</summary>
    private static readonly string[] ServiceFolders = ["identity", "filesystem", "collaboration", "execution"];

    /// <summary>A user that is not root and exists on every Debian.</summary>
    private const string User = "nobody";

    private static ServiceAccount Account => ServiceAccount.Find(User, File.ReadLines(ServiceAccount.PasswdFile));

    private string _dataDir = null!;

    [SetUp]
    public void CreateDataFolder() => _dataDir = Path.Combine(Directory.CreateTempSubdirectory("webide-service-user-").FullName, ".data");

    [TearDown]
    public Task RemoveDataFolder() => AppModel.DeleteDataFolderAsync(Path.GetDirectoryName(_dataDir)!);

    [Test]
    public async Task EachServiceAndTheGatewayStartTheirBuiltBinaryThroughSetprivAsThatUserWithNoOtherGroup()
    {
        RequireRoot();
        await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={_dataDir}", $"--WebIde:ServiceUser={User}");

        foreach (var name in Wrapped)
        {
            var project = builder.Resource<ProjectResource>(name);
            var command = project.Annotations.OfType<ExecutableAnnotation>().Last();
            var binary = BuiltBinaryExtensions.BuiltBinaryPath(project.GetProjectMetadata().ProjectPath, BuiltBinaryExtensions.BuildConfiguration);

            using (Assert.EnterMultipleScope())
            {
                Assert.That(Path.GetFileName(command.Command), Is.EqualTo("setpriv"), name);
                Assert.That(await project.ManifestArgumentsAsync(), Is.EqualTo(new[]
                {
                    $"--reuid={Account.Uid}", $"--regid={Account.Gid}", "--clear-groups", "--no-new-privs", "--", binary,
                }), name);
                Assert.That(command.WorkingDirectory, Is.EqualTo(Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath)), name);
            }
        }
    }

    [Test]
    public async Task ArgumentsAddedLaterStillFollowTheWrappedBinary()
    {
        RequireRoot();
        await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={_dataDir}", $"--WebIde:ServiceUser={User}");
        var gateway = builder.Resource<ProjectResource>("gateway");
        builder.CreateResourceBuilder(gateway).WithArgs("--an-argument-of-its-own");

        var args = await gateway.ManifestArgumentsAsync();

        Assert.That(args[..5], Is.EqualTo(new[] { $"--reuid={Account.Uid}", $"--regid={Account.Gid}", "--clear-groups", "--no-new-privs", "--" }));
        Assert.That(args[^1], Is.EqualTo("--an-argument-of-its-own"));
    }

    [Test]
    public async Task WithoutAServiceUserEachStartsItsBuiltBinaryItself()
    {
        await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={_dataDir}");

        foreach (var name in Wrapped)
        {
            var project = builder.Resource<ProjectResource>(name);
            var binary = BuiltBinaryExtensions.BuiltBinaryPath(project.GetProjectMetadata().ProjectPath, BuiltBinaryExtensions.BuildConfiguration);
            Assert.That(project.Annotations.OfType<ExecutableAnnotation>().Last().Command, Is.EqualTo(binary), name);
            Assert.That(await project.ManifestArgumentsAsync(), Has.None.EqualTo("--clear-groups"), name);
        }
    }

    /// <summary>
    /// The orchestrator puts a launch profile's <c>commandLineArgs</c> before every argument of a project that has a
    /// command of its own: setpriv would take them for its own options.
    /// </summary>
    [Test]
    public async Task NoLaunchProfileOfAWrappedProjectPutsArgumentsBeforeTheWrapper()
    {
        await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={_dataDir}");

        foreach (var name in Wrapped)
        {
            var project = builder.Resource<ProjectResource>(name);
            var settings = Path.Combine(Path.GetDirectoryName(project.GetProjectMetadata().ProjectPath)!, "Properties", "launchSettings.json");
            if (!File.Exists(settings))
            {
                continue;
            }
            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(settings));
            foreach (var profile in document.RootElement.GetProperty("profiles").EnumerateObject())
            {
                Assert.That(profile.Value.TryGetProperty("commandLineArgs", out _), Is.False, $"{settings}: profile {profile.Name}");
            }
        }
    }

    [Test]
    public async Task TheServicesRunInTheAppHostsEnvironmentNotInTheirLaunchProfiles()
    {
        await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={_dataDir}", "--environment=Production");

        Assert.That(builder.Environment.EnvironmentName, Is.EqualTo("Production"));
        foreach (var name in Wrapped)
        {
            var environment = await builder.Resource<ProjectResource>(name).RunEnvironmentAsync();
            Assert.That(environment.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"), Is.EqualTo("Production"), name);
            Assert.That(environment.GetValueOrDefault("DOTNET_ENVIRONMENT"), Is.EqualTo("Production"), name);
        }
    }

    [Test]
    public async Task TheUserOwnsItsServicesFoldersTheKeyRingAndTheGatewaysKeyAndCanOnlyPassThroughTheRest()
    {
        RequireRoot();
        // A database an earlier start made as root: handed over too.
        var earlier = Path.Combine(_dataDir, "identity", "identity.db");
        Directory.CreateDirectory(Path.GetDirectoryName(earlier)!);
        await File.WriteAllTextAsync(earlier, "");

        await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={_dataDir}", $"--WebIde:ServiceUser={User}", "--WebIde:Tls:Enabled=true");

        var user = Account.Owner;
        var passable = new FileOwner(0, Account.Gid);
        var root = new FileOwner(0, 0);
        using (Assert.EnterMultipleScope())
        {
            foreach (var folder in ServiceFolders)
            {
                Assert.That(FileOwner.Of(Path.Combine(_dataDir, folder)), Is.EqualTo(user), folder);
                Assert.That(File.GetUnixFileMode(Path.Combine(_dataDir, folder)), Is.EqualTo(OwnerOnlyFiles.FolderMode), folder);
            }
            Assert.That(FileOwner.Of(earlier), Is.EqualTo(user), earlier);
            Assert.That(FileOwner.Of(Path.Combine(_dataDir, "keys", "content-keys.json")), Is.EqualTo(user));
            Assert.That(FileOwner.Of(Path.Combine(_dataDir, TlsExtensions.Folder, SelfMadeCertificates.KeyFileName)), Is.EqualTo(user));

            foreach (var folder in new[] { _dataDir, Path.Combine(_dataDir, "keys"), Path.Combine(_dataDir, TlsExtensions.Folder) })
            {
                Assert.That(FileOwner.Of(folder), Is.EqualTo(passable), folder);
                Assert.That(File.GetUnixFileMode(folder), Is.EqualTo(OwnerOnlyFiles.PassableFolderMode), folder);
            }

            Assert.That(FileOwner.Of(Path.Combine(_dataDir, TlsExtensions.Folder, SelfMadeCertificates.AuthorityKeyFileName)), Is.EqualTo(root), "the CA's key");
            foreach (var folder in new[] { "secrets", "redis", "rabbitmq" })
            {
                Assert.That(FileOwner.Of(Path.Combine(_dataDir, folder)), Is.EqualTo(root), folder);
                Assert.That(File.GetUnixFileMode(Path.Combine(_dataDir, folder)), Is.EqualTo(OwnerOnlyFiles.FolderMode), folder);
            }
            Assert.That(FileOwner.Of(Path.Combine(_dataDir, "secrets", "redis-password")), Is.EqualTo(root));
        }
    }

    [Test]
    public async Task AGivenCertificateIsServedFromACopyWhoseKeyIsTheUsersAndTheOperatorsFilesStayAsTheyWere()
    {
        RequireRoot();
        var folder = Path.GetDirectoryName(_dataDir)!;
        var (certificate, key) = (Path.Combine(folder, "given.pem"), Path.Combine(folder, "given-key.pem"));
        using (var pair = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            using var made = new CertificateRequest("CN=localhost", pair, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            await File.WriteAllTextAsync(certificate, made.ExportCertificatePem());
            await File.WriteAllTextAsync(key, pair.ExportPkcs8PrivateKeyPem());
        }

        await using var builder = await AppModel.BuildAsync($"--WebIde:DataDir={_dataDir}", $"--WebIde:ServiceUser={User}",
            $"--WebIde:Tls:CertificateFile={certificate}", $"--WebIde:Tls:KeyFile={key}");
        var environment = await builder.Resource<ProjectResource>("gateway").ManifestEnvironmentAsync();

        var served = environment["Kestrel__Certificates__Default__KeyPath"];
        using (Assert.EnterMultipleScope())
        {
            Assert.That(served, Is.EqualTo(Path.Combine(_dataDir, TlsExtensions.Folder, TlsExtensions.GivenKeyFileName)));
            Assert.That(environment["Kestrel__Certificates__Default__Path"], Is.EqualTo(Path.Combine(_dataDir, TlsExtensions.Folder, TlsExtensions.GivenCertificateFileName)));
            Assert.That(await File.ReadAllTextAsync(served), Is.EqualTo(await File.ReadAllTextAsync(key)));
            Assert.That(FileOwner.Of(served), Is.EqualTo(Account.Owner));
            Assert.That(FileOwner.Of(key), Is.EqualTo(new FileOwner(0, 0)), "the operator's own key is not given away");
        }
    }

    [Test]
    public void AUserThatDoesNotExistIsRefusedSayingHowToMakeIt()
    {
        RequireRoot();
        var error = Assert.ThrowsAsync<InvalidOperationException>(() => AppModel.BuildAsync($"--WebIde:DataDir={_dataDir}", "--WebIde:ServiceUser=no-such-webide-user"));

        Assert.That(error!.Message, Does.Contain("no-such-webide-user").And.Contain("useradd --system"));
    }

    [Test]
    public void RootIsNoServiceUser()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServiceAccount.Find("root", ["root:x:0:0:root:/root:/bin/bash"]));

        Assert.That(error!.Message, Does.Contain("root"));
    }

    [Test]
    public void TheAccountIsReadFromItsPasswdLineAndGivesTheOwnerAsUidColonGid()
    {
        var account = ServiceAccount.Find("webide", ["root:x:0:0:root:/root:/bin/bash", "webide:x:998:997::/home/webide:/usr/sbin/nologin"]);

        Assert.That(account, Is.EqualTo(new ServiceAccount("webide", 998, 997)));
        Assert.That(account.Owner.ToString(), Is.EqualTo("998:997"), "as chown and the Docker gate's DockerGate:SocketOwner take it");
    }

    private static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Ignore("Only an AppHost that runs as root starts the services as another user; ./webide test runs as root.");
        }
    }
}
