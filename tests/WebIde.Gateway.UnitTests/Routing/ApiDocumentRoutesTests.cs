using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace WebIde.Gateway.UnitTests.Routing;

/// <summary>
/// Each service's OpenAPI document is public (docs/api.md §0): its route goes to that service
/// and asks for no token, so tools can fetch it before anyone signs in.
/// </summary>
public sealed class ApiDocumentRoutesTests
{
    [TestCase("/openapi/identity.json", "identity")]
    [TestCase("/openapi/filesystem.json", "filesystem")]
    [TestCase("/openapi/execution.json", "execution")]
    public void TheDocumentsRouteGoesToItsServiceWithoutAPolicy(string path, string clusterId)
    {
        var routes = GatewayUnderTest.Gateway.Services.GetRequiredService<IProxyConfigProvider>().GetConfig().Routes;

        var route = routes.Single(route => route.Match.Path == path);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(route.ClusterId, Is.EqualTo(clusterId));
            Assert.That(route.AuthorizationPolicy, Is.Null.Or.EqualTo("anonymous"));
        }
    }
}
