namespace WebIde.ServiceDefaults.Storage;

/// <summary>Which store this service was given; its storage port registers the matching adapter.</summary>
public sealed record StoreDescriptor(StoreKind Kind);
