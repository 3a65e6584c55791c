namespace WebIde.Gateway.Health;

/// <summary>What anyone may read of the platform's health: up or not, nothing about what is behind it.</summary>
public sealed record PublicHealth(string Status);
