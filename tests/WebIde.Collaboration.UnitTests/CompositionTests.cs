using WebIde.Tests.Shared;

namespace WebIde.Collaboration.UnitTests;

public sealed class CompositionTests() : ServiceCompositionTests("collaboration", validatesTokens: true, Extensions.AddApplicationServices);
