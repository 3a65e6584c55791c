namespace WebIde.AppHost.Sandbox;

/// <summary>Where a Docker gate listens: the Unix socket the execution service is given as its Docker endpoint.</summary>
public sealed record DockerGateSocketAnnotation(string Path) : IResourceAnnotation;
