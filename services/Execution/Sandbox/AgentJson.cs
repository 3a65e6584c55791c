using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebIde.Execution.Sandbox;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AgentRequest))]
[JsonSerializable(typeof(SandboxStepResult))]
[JsonSerializable(typeof(AgentRunDone))]
internal sealed partial class AgentJson : JsonSerializerContext;
