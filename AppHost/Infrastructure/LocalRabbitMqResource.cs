using WebIde.AppHost.Platform;
using WebIde.ServiceDefaults.Files;

namespace WebIde.AppHost.Infrastructure;

/// <summary>
/// Debian's RabbitMQ broker as a local process. Its own script is called directly because
/// Debian's wrapper switches to the rabbitmq user, which cannot write our data folder. Every
/// service connects as a user of its own (<see cref="BrokerDefinitions"/>); the resource's own
/// connection string, for operators and tests, is the operator's.
/// </summary>
public sealed class LocalRabbitMqResource(string name, string brokerScript, string dataFolder, InstallationSecrets secrets, BrokerUser operatorUser)
    : ExecutableResource(name, brokerScript, dataFolder), IResourceWithConnectionString
{
    public const string AmqpEndpointName = "amqp";
    public const string DistributionEndpointName = "dist";
    public const string NodeName = "webide@localhost";
    public const string DefinitionsFileName = "definitions.json";

    private readonly List<BrokerUser> _users = [operatorUser];

    public EndpointReference Amqp => field ??= new(this, AmqpEndpointName);

    public EndpointReference Distribution => field ??= new(this, DistributionEndpointName);

    public string DataFolder => WorkingDirectory;

    public string DefinitionsFile => Path.Combine(WorkingDirectory, DefinitionsFileName);

    /// <summary><c>rabbitmqctl</c>, beside the broker script.</summary>
    public string ControlScript => Path.Combine(Path.GetDirectoryName(Command)!, "rabbitmqctl");

    /// <summary>Where the users' passwords are kept.</summary>
    public InstallationSecrets Secrets => secrets;

    public IReadOnlyList<BrokerUser> Users => _users;

    public ReferenceExpression ConnectionStringExpression => ConnectionStringFor(operatorUser);

    public ReferenceExpression ConnectionStringFor(BrokerUser user) =>
        ReferenceExpression.Create($"amqp://{user.Name}:{user.Password}@{Amqp.Property(EndpointProperty.Host)}:{Amqp.Property(EndpointProperty.Port)}");

    /// <summary>The user named <paramref name="user"/>, added with <paramref name="password"/> unless it exists.</summary>
    public BrokerUser User(string user, Func<ParameterResource> password)
    {
        if (_users.Find(existing => existing.Name == user) is { } found)
        {
            return found;
        }
        var added = new BrokerUser(user, password());
        _users.Add(added);
        return added;
    }

    /// <summary>Writes the definitions the broker imports as it boots: every user known by now, with a fresh salt each.</summary>
    public async Task WriteDefinitionsAsync(CancellationToken cancellationToken)
    {
        var users = new List<(string, string)>();
        foreach (var user in _users)
        {
            users.Add((user.Name, await user.Password.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException($"RabbitMQ user {user.Name} has no password.")));
        }
        OwnerOnlyFiles.WriteSecret(DefinitionsFile, BrokerDefinitions.Json(users));
    }
}
