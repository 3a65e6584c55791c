using WebIde.Tests.Shared;

namespace WebIde.FileSystem.UnitTests;

public sealed class CompositionTests() : ServiceCompositionTests("filesystem", validatesTokens: true, Extensions.AddApplicationServices, keepsContent: true);
