using Aspire.Hosting.ApplicationModel;
using WebIde.AppHost.Infrastructure;

namespace WebIde.AppHost.UnitTests;

/// <summary>
/// The containers mode cannot run on a machine that pulls no images, so its model is
/// checked here instead: Aspire's Redis and RabbitMQ, a MongoDB container, a database each.
/// </summary>
public sealed class ContainersModeTests
{
    private static readonly string[] Services = ["identity", "filesystem", "collaboration-1", "collaboration-2", "execution"];

    [Test]
    public async Task UsesAspiresRedisAndRabbitMqAndAMongoContainer()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Mode=containers");

        var mongo = builder.Resource<MongoServerResource>("mongo");
        Assert.Multiple(() =>
        {
            Assert.That(builder.Resource<RedisResource>("redis"), Is.Not.Null);
            Assert.That(builder.Resource<RabbitMQServerResource>("rabbitmq"), Is.Not.Null);
            Assert.That(mongo.Annotations.OfType<ContainerImageAnnotation>().Single().Image, Is.EqualTo("library/mongo"));
            Assert.That(builder.Resources.OfType<LocalRedisResource>(), Is.Empty);
            Assert.That(builder.Resources.OfType<EpmdResource>(), Is.Empty);
        });
    }

    [Test]
    public async Task GivesEveryServiceItsOwnMongoDatabaseSharedByItsInstances()
    {
        await using var builder = await AppModel.BuildAsync("--WebIde:Mode=containers");

        foreach (var instance in Services)
        {
            var project = builder.Resource<ProjectResource>(instance);
            var environment = await project.ManifestEnvironmentAsync();

            var service = instance.Split('-')[0];
            Assert.That(environment["ConnectionStrings__store"], Is.EqualTo($"mongodb://webide:{{mongo-password.value}}@{{mongo.bindings.tcp.host}}:{{mongo.bindings.tcp.port}}/{service}?authSource=admin"), instance);
            Assert.That(project.Annotations.OfType<WaitAnnotation>().Select(wait => wait.Resource.Name), Does.Contain("mongo"), instance);
        }
    }
}
