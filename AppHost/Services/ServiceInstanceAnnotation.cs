namespace WebIde.AppHost.Services;

/// <summary>Which service a resource is an instance of: <c>identity-2</c> is <c>identity</c>'s, and uses its store and credentials.</summary>
public sealed record ServiceInstanceAnnotation(string Service) : IResourceAnnotation;
