using WebIde.Tests.Shared;

namespace WebIde.Identity.UnitTests;

public sealed class CompositionTests() : ServiceCompositionTests("identity", validatesTokens: false, Extensions.AddApplicationServices, keepsContent: true);
