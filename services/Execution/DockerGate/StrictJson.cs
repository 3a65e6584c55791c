using System.Text.Json;

namespace WebIde.Execution.DockerGate;

/// <summary>
/// Reads JSON the way the engine will, or refuses it. Go matches a struct's field names without
/// regard to case (and folds some non-ASCII letters onto ASCII ones), and of a repeated field takes
/// the last: so every name here must be ASCII and appear once, case aside, or what the gate checked
/// would not be what the engine reads.
/// </summary>
public static class StrictJson
{
    /// <summary>The object's members by name (case aside), or the reason it is refused.</summary>
    public static Dictionary<string, JsonElement>? Members(JsonElement element, string where, out string? refusal)
    {
        refusal = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            refusal = $"{where} must be an object";
            return null;
        }
        var members = new Dictionary<string, JsonElement>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in element.EnumerateObject())
        {
            if (!member.Name.All(char.IsAscii))
            {
                refusal = $"{where} has a field name that is not ASCII";
                return null;
            }
            if (!members.TryAdd(member.Name, member.Value))
            {
                refusal = $"{where} names {member.Name} twice";
                return null;
            }
        }
        return members;
    }

    /// <summary>Whether the object (any depth) repeats a name exactly, which Go's map decoding resolves to the last.</summary>
    public static bool HasRepeatedNames(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var member in element.EnumerateObject())
                {
                    if (!names.Add(member.Name) || HasRepeatedNames(member.Value))
                    {
                        return true;
                    }
                }
                return false;
            case JsonValueKind.Array:
                return element.EnumerateArray().Any(HasRepeatedNames);
            default:
                return false;
        }
    }

    /// <summary>The value Go leaves a field at when it is absent: null, false, 0, "", [] or {}.</summary>
    public static bool IsNeutral(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False => true,
        JsonValueKind.Number => value.TryGetDecimal(out var number) && number == 0,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        _ => false,
    };
}
