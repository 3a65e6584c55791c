using System.Reflection;
using System.Reflection.Emit;
using WebIde.Execution.Runs;
using WebIde.Execution.Sandbox;

namespace WebIde.Execution.UnitTests.Runs;

/// <summary>
/// Runs and checks reach a sandbox through <see cref="ISandboxes"/> only: the agent's wire protocol and
/// the containers that speak it stay behind it, free to change without touching the run logic.
/// </summary>
public sealed class SandboxSeamTests
{
    private static readonly string[] Consumers = ["WebIde.Execution.Runs", "WebIde.Execution.Checks"];

    /// <summary>The machinery behind the seam, besides the protocol's own (Agent*) types.</summary>
    private static readonly Type[] Machinery = [typeof(SandboxContainer), typeof(WarmPool), typeof(SandboxFactory)];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    [Test]
    public void RunsAndChecksUseNeitherTheAgentProtocolNorTheContainersBehindTheSeam()
    {
        var offences = typeof(Runner).Assembly.GetTypes()
            .Where(type => Consumers.Contains(type.Namespace))
            .SelectMany(type => ReferencedTypes(type).Where(IsBehindTheSeam).Select(used => $"{type.FullName} uses {used.FullName}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.That(offences, Is.Empty);
    }

    [Test]
    public void TheCheckFindsAProtocolTypeInAMethodBody()
    {
        // The check above is only as good as its reading of method bodies: it must see this fixture's use.
        Assert.That(ReferencedTypes(typeof(UsesTheProtocol)).Where(IsBehindTheSeam).Select(type => type.Name), Does.Contain("AgentFrameReader"));
    }

    private static bool IsBehindTheSeam(Type type) =>
        type.Name.StartsWith("Agent", StringComparison.Ordinal) || Machinery.Contains(type);

    private static IEnumerable<Type> ReferencedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var direct = new List<Type?> { type.BaseType };
        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetFields(all).Select(field => field.FieldType));
        direct.AddRange(type.GetProperties(all).Select(property => property.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                direct.Add(info.ReturnType);
            }
            direct.AddRange(method.GetParameters().Select(parameter => parameter.ParameterType));
            direct.AddRange(method.GetMethodBody()?.LocalVariables.Select(local => local.LocalType) ?? []);
            direct.AddRange(BodyReferences(method));
        }
        return direct.OfType<Type>().SelectMany(Expand).Distinct();
    }

    /// <summary>A type with the types it is built from: generic arguments, array elements.</summary>
    private static IEnumerable<Type> Expand(Type type)
    {
        yield return type;
        var inner = type.HasElementType ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : [];
        foreach (var part in inner.SelectMany(Expand))
        {
            yield return part;
        }
    }

    /// <summary>The types a method body's instructions name: what it constructs, calls, casts to or reads.</summary>
    private static IEnumerable<Type> BodyReferences(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var found = new List<Type>();
        for (var offset = 0; offset < il.Length;)
        {
            var value = (short)il[offset++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[offset++]);
            }
            var code = OpCodesByValue[value];
            if (code.OperandType is OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok)
            {
                var member = method.Module.ResolveMember(BitConverter.ToInt32(il, offset), typeArguments, methodArguments);
                switch (member)
                {
                    case Type named:
                        found.Add(named);
                        break;
                    case MethodInfo called:
                        found.Add(called.DeclaringType!);
                        found.Add(called.ReturnType);
                        found.AddRange(called.GetParameters().Select(parameter => parameter.ParameterType));
                        break;
                    case MethodBase constructed:
                        found.Add(constructed.DeclaringType!);
                        found.AddRange(constructed.GetParameters().Select(parameter => parameter.ParameterType));
                        break;
                    case FieldInfo field:
                        found.Add(field.DeclaringType!);
                        found.Add(field.FieldType);
                        break;
                }
            }
            offset += OperandSize(code, il, offset);
        }
        return found;
    }

    private static int OperandSize(OpCode code, byte[] il, int offset) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, offset),
        _ => 4,
    };

    private static class UsesTheProtocol
    {
        public static bool Read() => new AgentFrameReader().TryRead(out _);
    }
}
